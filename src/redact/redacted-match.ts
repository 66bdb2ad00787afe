import { REDACTED } from './rules.js';

/**
 * Whether a live request's identity matches a recorded one in which secrets were replaced by the
 * marker: each marker stands for any run of JSON string content (no unescaped quote), so a
 * request that carried a key in its body still replays when it carries another key, one this
 * process does not know, or an empty one. Identities are JSON (request-key.ts), and the marker
 * only ever replaces text inside a JSON string, so it can never stand for structure.
 *
 * @note no regular expression: a body with several markers in one string would make a pattern
 * backtrack polynomially. Matching the literal parts left to right, each at its first place
 * with a valid gap, is exact for JSON text on both sides (what identities are): a literal part
 * then starts and ends on whole escape sequences, and a later place has a longer gap, which
 * holds every quote the shorter one held.
 */
export function matchesRedacted(recorded: string, live: string): boolean {
  const parts = recorded.split(REDACTED);
  if (parts.length === 1) return recorded === live;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!live.startsWith(first) || !live.endsWith(last) || live.length < first.length + last.length) return false;
  let at = first.length;
  const end = live.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    let found = -1;
    for (let from = at; ; from++) {
      const place = live.indexOf(part, from);
      if (place === -1 || place + part.length > end) return false;
      const gap = gapState(live, at, place);
      if (gap === 'quote') return false;
      if (gap === 'ok') {
        found = place;
        break;
      }
      from = place;
    }
    at = found + part.length;
  }
  return gapState(live, at, end) === 'ok';
}

/**
 * Whether live[from, to) can stand where a marker stood: JSON string content, so no unescaped
 * quote ('quote': no later end helps either), and not ending in an open escape ('escape': a
 * later end may close it).
 */
function gapState(live: string, from: number, to: number): 'ok' | 'quote' | 'escape' {
  for (let i = from; i < to; i++) {
    const c = live.charCodeAt(i);
    if (c === 0x22) return 'quote';
    if (c === 0x5c) {
      if (i + 1 >= to) return 'escape';
      i++;
    }
  }
  return 'ok';
}

/**
 * The recordings whose identity holds the marker and matches this live identity, in recorded
 * order; undefined when none does. Only asked when no recording has the exact identity.
 */
export function redactedGroup<R extends { readonly key: string }>(recordings: readonly R[], live: string): R[] | undefined {
  let group: R[] | undefined;
  for (const recording of withMarker(recordings)) {
    if (matchesRedacted(recording.key, live)) (group ??= []).push(recording);
  }
  return group;
}

const marked = new WeakMap<readonly object[], { length: number; marked: readonly object[] }>();

/** The recordings whose identity holds the marker: found once per list, not on every miss. */
function withMarker<R extends { readonly key: string }>(recordings: readonly R[]): readonly R[] {
  const found = marked.get(recordings);
  if (found && found.length === recordings.length) return found.marked as readonly R[];
  const list = recordings.filter((recording) => recording.key.includes(REDACTED));
  marked.set(recordings, { length: recordings.length, marked: list });
  return list;
}
