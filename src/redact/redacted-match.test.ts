import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { matchesRedacted, redactedGroup } from './redacted-match.js';
import { REDACTED } from './rules.js';

/** The reference: each marker as a regular expression for JSON string content. */
function reference(recorded: string, live: string): boolean {
  const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${recorded.split(REDACTED).map(literal).join('(?:[^"\\\\]|\\\\.)*')}$`, 's').test(live);
}

describe('matchesRedacted', () => {
  test('a marker stands for any string content: another key, an unknown one, none', () => {
    const recorded = JSON.stringify({ body: { note: `my key is ${REDACTED}`, n: 1 } });
    for (const key of ['sk-other-key-999', 'x', '', 'with "quotes" and \\ escaped']) {
      expect(matchesRedacted(recorded, JSON.stringify({ body: { note: `my key is ${key}`, n: 1 } }))).toBe(true);
    }
  });

  test('it never stands for structure: a value that leaves the string does not match', () => {
    const recorded = JSON.stringify({ body: { a: REDACTED, b: 2 } });
    expect(matchesRedacted(recorded, '{"body":{"a":"x","c":"y","b":2}}')).toBe(false);
    expect(matchesRedacted(recorded, JSON.stringify({ body: { a: 'x', b: 3 } }))).toBe(false);
    expect(matchesRedacted(recorded, JSON.stringify({ body: { a: 'x', b: 2 } }))).toBe(true);
  });

  test('without a marker it is plain equality', () => {
    expect(matchesRedacted('{"a":1}', '{"a":1}')).toBe(true);
    expect(matchesRedacted('{"a":1}', '{"a":2}')).toBe(false);
  });

  test('property: on JSON text (what identities are), agrees with the regular-expression reference', () => {
    // decoded strings with quotes, backslashes and newlines: JSON.stringify writes them escaped
    const decoded = (units: string[]) => fc.array(fc.constantFrom(...units), { maxLength: 10 }).map((parts) => parts.join(''));
    const recordedText = decoded(['a', 'b', '"', '\\', '\n', 'x', REDACTED]);
    const liveText = decoded(['a', 'b', '"', '\\', '\n', 'x']);
    let tried = 0;
    let matched = 0;
    fc.assert(
      fc.property(recordedText, liveText, fc.boolean(), (recordedInner, liveInner, twoStrings) => {
        tried++;
        const recorded = JSON.stringify(twoStrings ? { s: recordedInner, t: recordedInner } : { s: recordedInner });
        const live = JSON.stringify(twoStrings ? { s: liveInner, t: liveInner } : { s: liveInner });
        const expected = reference(recorded, live);
        if (expected) matched++;
        expect(matchesRedacted(recorded, live)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(tried).toBe(5000);
    expect(matched).toBeGreaterThan(0);
  });

  test('property: a recording with markers matches any live request that fills them with string content', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', 'é'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 5 }), fc.array(word, { minLength: 4, maxLength: 4 }), (parts, fills) => {
        const recorded = JSON.stringify({ s: parts.join('\u0001') })
          .split('\\u0001')
          .join(REDACTED);
        const live = JSON.stringify({ s: parts.map((p, i) => (i === 0 ? p : `${fills[i % 4]}${p}`)).join('') });
        expect(matchesRedacted(recorded, live)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('many markers in one long string: an answer, not a hang (a regular expression backtracks for minutes here)', () => {
    const recorded = `{"s":"${Array.from({ length: 30 }, () => `a${REDACTED}`).join('')}b"}`;
    expect(matchesRedacted(recorded, `{"s":"${'a'.repeat(20_000)}c"}`)).toBe(false);
    expect(matchesRedacted(recorded, `{"s":"${'a'.repeat(20_000)}b"}`)).toBe(true);
  });
});

describe('redactedGroup', () => {
  test('the recordings whose identity has a marker and matches, in recorded order', () => {
    const list = [{ key: `{"a":"${REDACTED}"}` }, { key: '{"a":"x"}' }, { key: `{"a":"k${REDACTED}"}` }];
    expect(redactedGroup(list, '{"a":"key"}')).toEqual([list[0], list[2]]);
    expect(redactedGroup(list, '{"b":"key"}')).toBeUndefined();
  });
});
