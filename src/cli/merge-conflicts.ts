import { isCall, isHttp } from '../journal/timeline.js';
import { storedBodyBytes } from '../match/body.js';
import { streamText } from '../stream/recorded-events.js';
import type { CallRecord, TimelineEntry } from '../types.js';

/** The same place held by two different answers: the kept one, and the one from a later input. */
export interface Conflict {
  /** Index of the kept interaction in the merged list. */
  kept: number;
  /** Index of the other one in its input. */
  other: number;
  what: string;
}

/**
 * The view's interactions whose place (key, ordinal) `held` already has with a different answer.
 * The answer is what the client reads: status, body or stream bytes, how a stream ended, a
 * network error. Headers, timings and recording times differ between machines and do not count.
 */
export function findConflicts<E extends TimelineEntry>(held: readonly E[], view: readonly E[], keyOf: (entry: E) => string): Conflict[] {
  const byKey = new Map<string, number[]>();
  held.forEach((interaction, i) => {
    const key = keyOf(interaction);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const ordinals = new Map<string, number>();
  const conflicts: Conflict[] = [];
  view.forEach((interaction, other) => {
    const key = keyOf(interaction);
    const ordinal = ordinals.get(key) ?? 0;
    ordinals.set(key, ordinal + 1);
    const kept = byKey.get(key)?.[ordinal];
    if (kept === undefined) return;
    const what = answerDifference(held[kept]!, interaction);
    if (what) conflicts.push({ kept, other, what });
  });
  return conflicts;
}

function answerDifference(x: TimelineEntry, y: TimelineEntry): string | undefined {
  if (isCall(x) && isCall(y)) {
    const outcome = (c: CallRecord): string => JSON.stringify(c.call.error ? { threw: c.call.error } : { returned: c.call.output ?? null });
    return outcome(x) === outcome(y) ? undefined : 'the calls answered differently';
  }
  if (!isHttp(x) || !isHttp(y)) return undefined;
  const [a, b] = [x, y];
  if (a.error || b.error) {
    if (a.error && b.error) return a.error.name === b.error.name && a.error.code === b.error.code ? undefined : 'different network errors';
    return a.error ? 'a network error against a response' : 'a response against a network error';
  }
  const ra = a.response!;
  const rb = b.response!;
  if (ra.status !== rb.status) return `status ${ra.status} against ${rb.status}`;
  if ((ra.chunks === undefined) !== (rb.chunks === undefined)) return 'a whole body against a stream';
  if (ra.chunks && rb.chunks) {
    if (streamText(ra.chunks) !== streamText(rb.chunks)) return 'the streams differ';
    if ((ra.end?.state ?? 'completed') !== (rb.end?.state ?? 'completed')) return `the stream ended ${ra.end?.state} against ${rb.end?.state}`;
    return undefined;
  }
  const body = (r: typeof ra): Buffer => (r.body ? storedBodyBytes(r.body) : Buffer.alloc(0));
  return body(ra).equals(body(rb)) ? undefined : 'the bodies differ';
}
