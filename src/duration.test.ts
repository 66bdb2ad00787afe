import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { describeAge, parseDuration } from './duration.js';

describe('parseDuration', () => {
  test.each([
    ['30d', 30 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['250', 250],
    [' 7 d ', 7 * 86_400_000],
    [1000, 1000],
  ] as const)('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each(['', 'd', '-3d', '3 days', '3y', '1e3', 'NaN', 'Infinity'])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  test('refuses negative and non-finite numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  test('property: <n><unit> is n times the unit, for any whole n (bounded run)', () => {
    const units = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
    fc.assert(
      fc.property(fc.nat({ max: 1e6 }), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, unit) => {
        expect(parseDuration(`${n}${unit}`)).toBe(n * units[unit]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('describeAge', () => {
  test.each([
    [45 * 86_400_000 + 5, '45 days'],
    [86_400_000 * 2, '2 days'],
    [86_400_000, '24 hours'],
    [3 * 3_600_000, '3 hours'],
    [60_000, '1 minute'],
    [5, '0 minutes'],
  ])('%d ms reads %s', (ms, text) => {
    expect(describeAge(ms)).toBe(text);
  });
});
