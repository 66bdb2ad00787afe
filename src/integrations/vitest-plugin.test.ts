import { describe, expect, test } from 'vitest';
import { partialRun } from './vitest-plugin.js';

const whole = { config: {}, state: { getFiles: () => [{}, { containsOnly: false }] } };

describe('partialRun', () => {
  test('every file ran with no filter: a whole run', () => {
    expect(partialRun(whole, 2)).toBe(false);
  });

  test.each([
    ['a name filter', { ...whole, config: { testNamePattern: /x/ } }, 2],
    ['a shard', { ...whole, config: { shard: { index: 1, count: 2 } } }, 2],
    ['changed files', { ...whole, config: { changed: true } }, 2],
    ['related files', { ...whole, config: { related: ['src/a.ts'] } }, 2],
    ['a tags filter', { ...whole, config: { tagsFilter: ['slow'] } }, 2],
    ['a cancelled run', { ...whole, isCancelling: true }, 2],
    ['a file filter (fewer files ran than exist)', whole, 3],
    ['.only in one file', { ...whole, state: { getFiles: () => [{}, { containsOnly: true }] } }, 2],
  ])('%s: a partial run', (_, vitest, all) => {
    expect(partialRun(vitest, all)).toBe(true);
  });

  test('an empty related list is no filter', () => {
    expect(partialRun({ ...whole, config: { related: [] } }, 2)).toBe(false);
  });
});
