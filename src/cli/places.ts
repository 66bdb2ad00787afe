import { requestKey } from '../match/request-key.js';
import { requestView } from '../session/request-view.js';
import type { Interaction } from '../types.js';

/**
 * A recorded request's identity for tools that work on files: the key stored with it (computed
 * by the session with its match options, such as ignoreBodyFields), else the key of the stored
 * request with the default options.
 */
export function storedKeyOf(interaction: Interaction): string {
  return interaction.key ?? requestKey(requestView(interaction.request));
}

/**
 * Each interaction's place: its key and how many earlier interactions of the list share it (the
 * same rule a concurrent save merges by: src/cassette/merge.ts).
 */
export function placesOf(interactions: readonly Interaction[], keyOf: (interaction: Interaction) => string = storedKeyOf): string[] {
  const seen = new Map<string, number>();
  return interactions.map((interaction) => {
    const key = keyOf(interaction);
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return `${key}#${ordinal}`;
  });
}
