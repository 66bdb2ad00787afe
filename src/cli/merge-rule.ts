import type { Interaction } from '../types.js';

/*
 * @note the merge rule of a concurrent save, written here until src/cassette/merge.ts (the shared
 * module, same names and signature) is on main; then merge.ts imports it from there instead and
 * this file goes.
 */

export interface MergeInput {
  /** What is kept: the interactions merged so far, in order. */
  disk: readonly Interaction[];
  /** The next input, in its order. */
  view: readonly Interaction[];
  keyOf: (interaction: Interaction) => string;
}

export interface MergeResult {
  interactions: Interaction[];
  /** Interactions of the view appended. */
  added: number;
  /** Interactions of the view whose place (key, ordinal) was already held: the first one stays. */
  duplicates: number;
  dropped: number;
}

/**
 * An interaction's place is (key, ordinal): its key and how many earlier interactions of its own
 * list share it. What `disk` holds stays; an interaction of `view` whose place is held is a
 * duplicate; the others are appended in the view's order.
 */
export function mergeInteractions({ disk, view, keyOf }: MergeInput): MergeResult {
  const held = new Map<string, number>();
  for (const interaction of disk) held.set(keyOf(interaction), (held.get(keyOf(interaction)) ?? 0) + 1);
  const ordinals = new Map<string, number>();
  const interactions = [...disk];
  let duplicates = 0;
  for (const interaction of view) {
    const key = keyOf(interaction);
    const ordinal = ordinals.get(key) ?? 0;
    ordinals.set(key, ordinal + 1);
    if (ordinal < (held.get(key) ?? 0)) duplicates++;
    else interactions.push(interaction);
  }
  return { interactions, added: interactions.length - disk.length, duplicates, dropped: 0 };
}
