import { REDACTED } from './rules.js';
import { type Range, replaceRanges, type SecretSet } from './secret-set.js';

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
  const whole = Buffer.concat(chunks);
  const ranges = secrets.byteRanges(whole);
  if (ranges.length === 0) return undefined;
  const scrubbed = replaceRanges(whole, ranges);
  const out: Buffer[] = [];
  let from = 0;
  let boundary = 0;
  let r = 0;
  let delta = 0;
  for (const chunk of chunks) {
    boundary += chunk.length;
    while (r < ranges.length && ranges[r]![1] <= boundary) {
      delta += REDACTED.length - (ranges[r]![1] - ranges[r]![0]);
      r++;
    }
    const inside = r < ranges.length && ranges[r]![0] < boundary ? ranges[r]! : undefined;
    const to = inside ? inside[0] + delta + markerCut(inside, boundary) : boundary + delta;
    out.push(scrubbed.subarray(from, to));
    from = to;
  }
  return out;
}

/** Where in the marker a boundary `boundary` bytes into the stream (inside `range`) falls. */
function markerCut([start, end]: Range, boundary: number): number {
  const cut = Math.round(((boundary - start) * REDACTED.length) / (end - start));
  return Math.min(REDACTED.length - 1, Math.max(1, cut));
}
