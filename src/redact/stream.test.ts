import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { REDACTED } from './rules.js';
import { SecretSet } from './secret-set.js';
import { scrubStream } from './stream.js';

const KEY = 'sk-live-0123456789abcdefghij';
const OTHER = 'AIzaSyZZZZyyyyXXXXwwww';
const secrets = new SecretSet([KEY, OTHER]);

/** Cuts `bytes` at the given offsets (deduplicated, in order). */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => Math.min(o, bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const point of points) {
    out.push(bytes.subarray(at, point));
    at = point;
  }
  out.push(bytes.subarray(at));
  return out;
}

/** Every 8-character piece of a value. */
function pieces(value: string): string[] {
  return Array.from({ length: value.length - 7 }, (_, i) => value.slice(i, i + 8));
}

/** Filler that cannot make a piece of a key by itself: no character the keys use besides `-`. */
const filler = fc.string({ unit: fc.constantFrom('.', ' ', '"', '{', '}', ':', '\n', 'é', '😀', '\u00ff'), maxLength: 30 });

/** A stream: filler with keys in it, as bytes. */
const stream = fc.array(fc.oneof(filler, fc.constantFrom(KEY, OTHER)), { minLength: 1, maxLength: 12 }).map((parts) => Buffer.from(parts.join('')));

describe('scrubStream', () => {
  test('a key split at every byte offset becomes one marker, split between the same two chunks', () => {
    const text = Buffer.from(`data: {"echo":"${KEY}"}\n\n`);
    const start = text.indexOf(KEY);
    for (let k = 1; k < KEY.length; k++) {
      const chunks = cut(text, [start + k]);
      const out = scrubStream(chunks, secrets)!;
      expect(out).toHaveLength(2);
      const [a, b] = out.map((c) => c.toString());
      expect(a! + b!).toBe(`data: {"echo":"${REDACTED}"}\n\n`);
      // each side holds a non-empty part of the marker, in proportion to the cut
      expect(a!.startsWith('data: {"echo":"[')).toBe(true);
      expect(b!.endsWith(']"}\n\n')).toBe(true);
      const inMarker = a!.length - 'data: {"echo":"'.length;
      expect(inMarker).toBe(Math.min(9, Math.max(1, Math.round((k * REDACTED.length) / KEY.length))));
    }
  });

  test('nothing to scrub: undefined, so the stored chunks stay as they are', () => {
    expect(scrubStream([Buffer.from('data: {}\n\n'), Buffer.from('data: [DONE]\n\n')], secrets)).toBeUndefined();
    expect(scrubStream([], secrets)).toBeUndefined();
    expect(scrubStream([Buffer.from(KEY)], new SecretSet([]))).toBeUndefined();
  });

  test('a key cut into more pieces than the marker has characters leaves empty chunks, never a piece of the key', () => {
    const bytes = Buffer.from(`<${KEY}>`);
    const chunks = cut(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
    );
    const out = scrubStream(chunks, secrets)!;
    expect(out).toHaveLength(chunks.length);
    expect(Buffer.concat(out).toString()).toBe(`<${REDACTED}>`);
    expect(out.some((c) => c.length === 0)).toBe(true);
  });

  test('property: whatever the chunking, the chunks join to the whole stream scrubbed, and keep their number', () => {
    let tried = 0;
    fc.assert(
      fc.property(stream, fc.array(fc.nat(400), { maxLength: 20 }), (bytes, offsets) => {
        tried++;
        const chunks = cut(bytes, offsets);
        const out = scrubStream(chunks, secrets);
        const expected = secrets.scrubBytes(bytes);
        if (out === undefined) {
          expect(expected).toBe(bytes);
          return;
        }
        expect(out).toHaveLength(chunks.length);
        expect(Buffer.concat(out).equals(expected)).toBe(true);
        const joined = Buffer.concat(out).toString('latin1');
        for (const key of [KEY, OTHER]) for (const piece of pieces(key)) expect(joined.includes(piece)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(tried).toBe(500);
  });

  test('property: with patterns too (searched over the whole stream), the chunks join to the whole stream scrubbed', () => {
    const withPattern = new SecretSet([KEY], [/AIza[A-Za-z]+/]);
    fc.assert(
      fc.property(stream, fc.array(fc.nat(400), { maxLength: 20 }), (bytes, offsets) => {
        const chunks = cut(bytes, offsets);
        const out = scrubStream(chunks, withPattern);
        const expected = withPattern.scrubBytes(bytes);
        if (out === undefined) expect(expected).toBe(bytes);
        else {
          expect(out).toHaveLength(chunks.length);
          expect(Buffer.concat(out).equals(expected)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('property: a chunk that held no part of a key comes back byte for byte, at its place', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(400), { maxLength: 20 }), (bytes, offsets) => {
        const chunks = cut(bytes, offsets);
        const out = scrubStream(chunks, secrets) ?? chunks;
        const ranges = secrets.byteRanges(bytes);
        let at = 0;
        chunks.forEach((chunk, i) => {
          const [start, end] = [at, at + chunk.length];
          at = end;
          const touched = ranges.some(([s, e]) => s < end && e > start);
          if (!touched) expect(out[i]!.equals(chunk)).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  test('property: a key cut once puts a non-empty part of the marker on each side', () => {
    fc.assert(
      fc.property(filler, filler, fc.integer({ min: 1, max: KEY.length - 1 }), (before, after, k) => {
        const bytes = Buffer.from(`${before}${KEY}${after}`);
        const start = bytes.indexOf(KEY);
        const out = scrubStream(cut(bytes, [start + k]), secrets)!;
        const head = out[0]!.toString('latin1');
        const tail = out[1]!.toString('latin1');
        const marker = head.slice(start) + tail.slice(0, REDACTED.length - (head.length - start));
        expect(marker).toBe(REDACTED);
        expect(head.length - start).toBeGreaterThanOrEqual(1);
        expect(head.length - start).toBeLessThan(REDACTED.length);
      }),
      { numRuns: 300 },
    );
  });
});
