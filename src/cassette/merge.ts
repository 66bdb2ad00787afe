import type { TimelineEntry } from '../types.js';

export interface MergeInput<E extends TimelineEntry = TimelineEntry> {
  /** The interactions in the file as it is now, in file order. */
  disk: readonly E[];
  /**
   * The writer's view, in its order: what it loaded plus what it recorded (modes `new`, `once`),
   * or only what it recorded (mode `all`).
   */
  view: readonly E[];
  /** A request's identity: sessions key with their match options, the CLI with the stored `key`. */
  keyOf: (interaction: E) => string;
  /**
   * Mode `all`: the disk's interactions recorded before this time (ms since the epoch; the test
   * run's start) are dropped before merging. Those recorded since, by another worker or another
   * cassette call of the same run, stay.
   */
  dropRecordedBefore?: number | undefined;
}

export interface MergeResult<E extends TimelineEntry = TimelineEntry> {
  interactions: E[];
  /** Interactions of the view appended to the disk's. */
  added: number;
  /** Interactions of the view whose place the disk already held (first writer wins). */
  duplicates: number;
  /** Disk interactions dropped as recorded before `dropRecordedBefore`. */
  dropped: number;
}

/**
 * Merges a writer's view into the file as it is now. An interaction's place is (key, ordinal):
 * its key and how many earlier interactions of the same list share it. Every withCassette call
 * replays from ordinal 0, so two tests that make the same request each need only their own
 * ordinal-0 entry. What is on disk stays; each view interaction whose place the disk already
 * holds is a duplicate and skipped; the others are appended in the view's order. Nothing another
 * writer added is ever dropped (except by `dropRecordedBefore`).
 */
export function mergeInteractions<E extends TimelineEntry>(input: MergeInput<E>): MergeResult<E> {
  const { keyOf } = input;
  const before = input.dropRecordedBefore;
  // @note recordedAt keeps whole milliseconds: compare with the whole millisecond the run started in
  const cutoff = before === undefined ? undefined : Math.floor(before);
  const interactions: E[] = [];
  let dropped = 0;
  for (const interaction of input.disk) {
    if (cutoff !== undefined && Date.parse(interaction.recordedAt) < cutoff) dropped++;
    else interactions.push(interaction);
  }
  const held = new Map<string, number>();
  for (const interaction of interactions) {
    const key = keyOf(interaction);
    held.set(key, (held.get(key) ?? 0) + 1);
  }
  const ordinals = new Map<string, number>();
  let added = 0;
  let duplicates = 0;
  for (const interaction of input.view) {
    const key = keyOf(interaction);
    const ordinal = ordinals.get(key) ?? 0;
    ordinals.set(key, ordinal + 1);
    if (ordinal < (held.get(key) ?? 0)) {
      duplicates++;
    } else {
      interactions.push(interaction);
      added++;
    }
  }
  return { interactions, added, duplicates, dropped };
}
