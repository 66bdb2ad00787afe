/**
 * Everything "random" in a mock answer (ids, timestamps, embedding values) derives from a hash
 * of the request and reply, so the same script produces byte-identical responses on every run.
 */

/** Fixed `created` time of mock answers: 2025-01-01T00:00:00Z. */
export const MOCK_CREATED_AT = 1_735_689_600;

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** 32 hex characters from `text`: two FNV-1a passes per half, not cryptographic, just stable. */
export function stableHex(text: string): string {
  return [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b].map((seed) => fnv1a(text, seed).toString(16).padStart(8, '0')).join('');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable alphanumeric id of `length` characters (for `chatcmpl-…`, `call_…`, `toolu_…`). */
export function stableId(seed: string, length: number): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    const hex = stableHex(`${seed}#${round++}`);
    for (let i = 0; i + 2 <= hex.length && out.length < length; i += 2) {
      out += ALPHANUMERIC[parseInt(hex.slice(i, i + 2), 16) % ALPHANUMERIC.length];
    }
  }
  return out;
}

/** A unit-length pseudo-random vector seeded by `text` (a mulberry32 sequence). */
export function stableVector(text: string, dimensions: number): number[] {
  let state = fnv1a(text, 0x811c9dc5);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const values = Array.from({ length: dimensions }, next);
  const norm = Math.hypot(...values) || 1;
  // @note Rounded through float32, so float and base64 encodings of a vector are the same numbers.
  return values.map((v) => Math.fround(v / norm));
}
