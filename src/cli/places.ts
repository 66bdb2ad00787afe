import { callIdentity } from '../journal/call-recordings.js';
import { isCall, isHttp } from '../journal/timeline.js';
import { holdsIds, responseIds } from '../match/client-ids.js';
import { canonicalRequest, hashIdentity, keyOf } from '../match/request-key.js';
import { requestView } from '../session/request-view.js';
import type { TimelineEntry } from '../types.js';

/**
 * Each recorded request's identity, for tools that work on files: the key stored with it (the
 * session computed it with its match options, such as ignoreBodyFields), else the key of the
 * stored request with the default options and the ids the file's responses held, as a session
 * loading the file computes it (client-ids.ts).
 */
export function storedKeys(entries: readonly TimelineEntry[]): string[] {
  let known: Set<string> | undefined;
  return entries.map((entry) => {
    if (isCall(entry)) return entry.key ?? hashIdentity(callIdentity(entry.call.name, entry.call.input));
    if (!isHttp(entry)) return `note ${entry.note.label} ${JSON.stringify(entry.note.data ?? null)}`;
    if (entry.key !== undefined) return entry.key;
    const view = requestView(entry.request);
    if (known === undefined && holdsIds(view.body)) known = new Set(entries.filter(isHttp).flatMap((it) => responseIds(it.response)));
    return keyOf(canonicalRequest(view, {}, known));
  });
}

/**
 * Each interaction's place: its key and how many earlier interactions of the list share it (the
 * rule a concurrent save merges by: src/cassette/merge.ts).
 */
export function placesOf(interactions: readonly TimelineEntry[]): string[] {
  const seen = new Map<string, number>();
  return storedKeys(interactions).map((key) => {
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return `${key}#${ordinal}`;
  });
}
