import { REDACTED } from './rules.js';
import { merge, type Range, type SecretSet } from './secret-set.js';

const MARKER = Buffer.from(REDACTED);

/**
 * Scrubs a stream as one text while keeping its chunks: a secret that arrived split across
 * network reads is found whole, and its marker is split where the secret was. Returns the new
 * chunks (as many as before, in the same order, so each keeps its arrival time), or undefined
 * when there was nothing to scrub. A chunk that held no part of a secret comes back byte for
 * byte.
 *
 * @note where a boundary falls inside a secret, the marker is cut at the same proportion of its
 * length (at least one character on each side when it can be): k bytes into a 40-byte key is
 * `k/4` characters into `[REDACTED]`. A secret cut more times than the marker has characters
 * leaves some chunks empty: their arrival times are kept all the same.
 */
export function scrubStream(chunks: readonly Uint8Array[], secrets: SecretSet): Buffer[] | undefined {
  if (secrets.empty || chunks.length === 0) return undefined;
  // patterns can match any length: the whole stream at once; literal values: chunk by chunk and
  // around each boundary, so a long stream is never copied whole (docs/benchmarks.md, F)
  const ranges = secrets.patterns.length > 0 ? secrets.byteRanges(Buffer.concat(chunks)) : literalRanges(chunks, secrets);
  if (ranges.length === 0) return undefined;
  const out: Buffer[] = [];
  let start = 0;
  let r = 0;
  for (const chunk of chunks) {
    const end = start + chunk.length;
    while (r < ranges.length && ranges[r]![1] <= start) r++;
    const parts: Uint8Array[] = [];
    let at = start;
    for (let j = r; j < ranges.length && ranges[j]![0] < end; j++) {
      const range = ranges[j]!;
      if (range[0] > at) parts.push(chunk.subarray(at - start, range[0] - start));
      parts.push(MARKER.subarray(markerAt(range, Math.max(range[0], start)), markerAt(range, Math.min(range[1], end))));
      at = Math.min(range[1], end);
    }
    if (at < end) parts.push(chunk.subarray(at - start, end - start));
    out.push(Buffer.concat(parts));
    start = end;
  }
  return out;
}

/** Where in the marker a position of the stream inside or at the edge of `range` falls. */
function markerAt([start, end]: Range, position: number): number {
  if (position <= start) return 0;
  if (position >= end) return REDACTED.length;
  const cut = Math.round(((position - start) * REDACTED.length) / (end - start));
  return Math.min(REDACTED.length - 1, Math.max(1, cut));
}

/**
 * Every place a literal secret sits in the stream: inside each chunk, and across each boundary —
 * a secret that crosses one lies within its longest form's length of it, on either side.
 */
function literalRanges(chunks: readonly Uint8Array[], secrets: SecretSet): Range[] {
  const found: Range[] = [];
  const reach = secrets.longestForm - 1;
  let offset = 0;
  for (const chunk of chunks) {
    for (const [s, e] of secrets.byteRanges(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) found.push([s + offset, e + offset]);
    offset += chunk.length;
  }
  let boundary = 0;
  for (let i = 0; i + 1 < chunks.length; i++) {
    boundary += chunks[i]!.length;
    const { bytes, from } = around(chunks, i, boundary, reach);
    for (const [s, e] of secrets.byteRanges(bytes)) {
      if (from + s < boundary && from + e > boundary) found.push([from + s, from + e]);
    }
  }
  return merge(found);
}

/** The bytes up to `reach` before and after `boundary` (the end of chunk `i`), and where they start. */
function around(chunks: readonly Uint8Array[], i: number, boundary: number, reach: number): { bytes: Buffer; from: number } {
  const before: Uint8Array[] = [];
  let need = reach;
  let from = boundary;
  for (let j = i; j >= 0 && need > 0; j--) {
    const chunk = chunks[j]!;
    const take = Math.min(need, chunk.length);
    before.unshift(chunk.subarray(chunk.length - take));
    need -= take;
    from -= take;
  }
  const after: Uint8Array[] = [];
  need = reach;
  for (let j = i + 1; j < chunks.length && need > 0; j++) {
    const chunk = chunks[j]!;
    const take = Math.min(need, chunk.length);
    after.push(chunk.subarray(0, take));
    need -= take;
  }
  return { bytes: Buffer.concat([...before, ...after]), from };
}
