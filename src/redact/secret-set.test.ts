import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formsOf } from './forms.js';
import { REDACTED } from './rules.js';
import { SecretSet } from './secret-set.js';

describe('formsOf', () => {
  test('a value travels as itself, JSON-escaped, ASCII-escaped and percent-encoded', () => {
    expect(formsOf('sk-abc/def+ghi=')).toEqual(['sk-abc/def+ghi=', 'sk-abc%2Fdef%2Bghi%3D']);
    expect(formsOf('two words here')).toEqual(['two words here', 'two%20words%20here', 'two+words+here']);
    expect(formsOf('pässwörd-123')).toContain('p\\u00e4ssw\\u00f6rd-123');
    expect(formsOf('quote"in-key')).toContain('quote\\"in-key');
  });

  test('values shorter than 8 characters are no secret: scrubbing them would eat ordinary words', () => {
    expect(formsOf('short')).toEqual([]);
    expect(new SecretSet(['short', '']).empty).toBe(true);
  });
});

describe('SecretSet', () => {
  test('overlapping secrets become one marker: no piece of either is left', () => {
    const set = new SecretSet(['abcdefgh12', 'gh12345678']);
    expect(set.scrubText('x abcdefgh12345678 y')).toBe(`x ${REDACTED} y`);
    expect(set.scrubBytes(Buffer.from('x abcdefgh12345678 y')).toString()).toBe(`x ${REDACTED} y`);
  });

  test('two secrets side by side stay two markers', () => {
    const set = new SecretSet(['aaaaaaaa1', 'bbbbbbbb2']);
    expect(set.scrubText('aaaaaaaa1bbbbbbbb2')).toBe(`${REDACTED}${REDACTED}`);
  });

  test('patterns run on the text of UTF-8 bytes, with offsets mapped back to bytes', () => {
    const set = new SecretSet([], [/org-[a-z]+-\d+/]);
    const text = 'é😀 org-secret-123 and ü org-other-4';
    expect(set.scrubBytes(Buffer.from(text)).toString()).toBe(`é😀 ${REDACTED} and ü ${REDACTED}`);
    expect(set.scrubText(text)).toBe(`é😀 ${REDACTED} and ü ${REDACTED}`);
  });

  test('patterns also run on bytes that are not UTF-8 (a binary upload)', () => {
    const set = new SecretSet([], [/tok_[0-9]{6}/g]);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('tok_123456'), Buffer.from([0xc3])]);
    const out = set.scrubBytes(bytes);
    expect(out.subarray(3, 3 + REDACTED.length).toString()).toBe(REDACTED);
    expect(out.subarray(0, 3).equals(bytes.subarray(0, 3))).toBe(true);
    expect(out[out.length - 1]).toBe(0xc3);
  });

  test('a global or sticky pattern given by the user finds every match, every time', () => {
    const set = new SecretSet([], [/tok_\d+/gy]);
    expect(set.scrubText('tok_1 tok_2')).toBe(`${REDACTED} ${REDACTED}`);
    expect(set.scrubText('tok_3 tok_4')).toBe(`${REDACTED} ${REDACTED}`);
    expect(set.mayMatch('a tok_5')).toBe(true);
    expect(set.mayMatch('a tok_6')).toBe(true);
  });

  test('an empty match does not loop', () => {
    const set = new SecretSet([], [/x*/]);
    expect(set.scrubText('abc')).toBe('abc');
  });

  test('with() adds values, and is the same set when it adds nothing', () => {
    const set = new SecretSet(['sk-one-12345']);
    expect(set.with(['sk-one-12345', 'tiny'])).toBe(set);
    expect(set.with(['sk-two-12345']).scrubText('sk-one-12345 sk-two-12345')).toBe(`${REDACTED} ${REDACTED}`);
  });

  test('property: bytes and text scrub alike, and no value is left in either', () => {
    const value = fc.string({ minLength: 8, maxLength: 24, unit: 'grapheme' });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), value)), (values, parts) => {
        const set = new SecretSet(values);
        const text = parts.join('|');
        const scrubbed = set.scrubText(text);
        expect(set.scrubBytes(Buffer.from(text)).toString()).toBe(scrubbed);
        for (const v of values) expect(scrubbed.includes(v)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('property: a value echoed inside JSON or a URL is found in that form too', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 30, unit: 'binary' }), (value) => {
        const set = new SecretSet([value]);
        expect(set.scrubText(JSON.stringify({ echo: value }))).toBe(JSON.stringify({ echo: REDACTED }));
        let encoded: string | undefined;
        try {
          encoded = encodeURIComponent(value);
        } catch {
          return; // a lone surrogate cannot be in a URL
        }
        expect(set.scrubText(`https://h/x?q=${encoded}`)).toBe(`https://h/x?q=${REDACTED}`);
      }),
      { numRuns: 300 },
    );
  });
});
