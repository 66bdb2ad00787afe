import { describe, expect, test } from 'vitest';
import { diffCanonical, distance, SHOWN_DIFFERENCES, shownDifferences } from './diff.js';
import { canonicalRequest } from './request-key.js';

const request = (body: unknown, url = 'https://api.test/v1/x', method = 'POST') => canonicalRequest({ method, url, headers: {}, body });

describe('diffCanonical', () => {
  test('names each differing leaf by its path', () => {
    const lines = diffCanonical(request({ temperature: 0.2, messages: [{ content: 'a' }] }), request({ temperature: 0.7, messages: [{ content: 'b' }] }));
    expect(lines).toEqual(['messages[0].content: "a" → "b"', 'temperature: 0.2 → 0.7']);
  });

  test('an array item on one side only is one difference, not the whole array', () => {
    const lines = diffCanonical(request({ messages: ['a', 'b'] }), request({ messages: ['a', 'b', 'c'] }));
    expect(lines).toEqual(['messages[2]: (absent) → "c"']);
  });

  test('null and absent are different', () => {
    expect(diffCanonical(request({ a: null }), request({}))).toEqual(['a: null → (absent)']);
  });

  test('shownDifferences keeps the first lines and counts the rest', () => {
    const lines = Array.from({ length: SHOWN_DIFFERENCES + 3 }, (_, i) => `f${i}`);
    const shown = shownDifferences(lines);
    expect(shown).toHaveLength(SHOWN_DIFFERENCES + 1);
    expect(shown.at(-1)).toBe('… and 3 more differences');
  });
});

describe('distance', () => {
  test('prefers the recording that differs in two ids over one that differs in a whole conversation turn', () => {
    const live = request({ contents: [{ text: 'hi' }, { call: { ref: 'new-1', name: 'w' } }, { result: { ref: 'new-1' } }] });
    const firstTurn = request({ contents: [{ text: 'hi' }] });
    const secondTurn = request({ contents: [{ text: 'hi' }, { call: { ref: 'old-1', name: 'w' } }, { result: { ref: 'old-1' } }] });
    expect(distance(secondTurn, live)).toBe(2);
    expect(distance(secondTurn, live)).toBeLessThan(distance(firstTurn, live));
  });

  test('another path or method outweighs any number of body differences', () => {
    const live = request({ a: 1 });
    expect(distance(request({ a: 1 }, 'https://api.test/v1/y'), live)).toBeGreaterThan(distance(request({ a: 2, b: 3, c: 4 }), live));
    expect(distance(request({ a: 1 }, undefined, 'GET'), live)).toBeGreaterThan(distance(request({ a: 9 }), live));
  });
});
