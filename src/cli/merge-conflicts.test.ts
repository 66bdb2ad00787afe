import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Interaction } from '../types.js';
import { findConflicts } from './merge-conflicts.js';
import { mergeInteractions } from './merge-rule.js';

const interaction = (key: string, answer: string, extra: Partial<Interaction> = {}): Interaction => ({
  key,
  recordedAt: '2026-01-01T00:00:00.000Z',
  request: { method: 'POST', url: `https://api.test/${key}`, headers: {} },
  response: { status: 200, statusText: 'OK', headers: { 'x-request-id': Math.random().toString(36) }, headersAtMs: Math.random(), body: { text: answer } },
  ...extra,
});
const keyOf = (it: Interaction): string => it.key!;

describe('merging by place, and conflicts', () => {
  test('the same answer recorded on two machines (other headers, timings, times) is no conflict', () => {
    const a = [interaction('k', 'same')];
    const b = [{ ...interaction('k', 'same'), recordedAt: '2026-02-02T00:00:00.000Z' }];
    expect(findConflicts(a, b, keyOf)).toEqual([]);
    expect(mergeInteractions({ disk: a, view: b, keyOf })).toMatchObject({ interactions: a, added: 0, duplicates: 1 });
  });

  test('a different status, body, stream or network error at the same place is a conflict, named', () => {
    const base = interaction('k', 'A');
    const stream = (text: string, state: 'completed' | 'aborted' = 'completed'): Interaction =>
      interaction('k', '', {
        response: {
          status: 200,
          statusText: 'OK',
          headers: {},
          headersAtMs: 1,
          chunks: [{ atMs: 1, text }],
          end: state === 'completed' ? { state, atMs: 2 } : { state, atMs: 2, bytes: 1 },
        },
      });
    const cases: [Interaction, Interaction, string][] = [
      [base, interaction('k', 'B'), 'the bodies differ'],
      [base, { ...base, response: { ...base.response!, status: 500 } }, 'status 200 against 500'],
      [base, stream('A'), 'a whole body against a stream'],
      [stream('A'), stream('B'), 'the streams differ'],
      [stream('A'), stream('A', 'aborted'), 'the stream ended completed against aborted'],
      [base, { ...base, response: undefined, error: { name: 'Error', code: 'ECONNRESET', message: 'reset', atMs: 1 } }, 'a response against a network error'],
    ];
    for (const [kept, other, what] of cases) expect(findConflicts([kept], [other], keyOf)).toEqual([{ kept: 0, other: 0, what }]);
  });

  test('property: the first input stays whole and in order; later ones add exactly what is at an untaken place; conflicts are exactly the taken places answered differently (bounded run)', () => {
    const list = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y')), { maxLength: 8 });
    fc.assert(
      fc.property(list, list, (first, second) => {
        const disk = first.map(([key, answer]) => interaction(key, answer));
        const view = second.map(([key, answer]) => interaction(key, answer));
        const { interactions, added, duplicates } = mergeInteractions({ disk, view, keyOf });
        expect(interactions.slice(0, disk.length)).toEqual(disk);
        const count = (items: [string, string][], key: string): number => items.filter(([k]) => k === key).length;
        const expectedAdded = ['a', 'b', 'c'].reduce((sum, key) => sum + Math.max(0, count(second, key) - count(first, key)), 0);
        expect(added).toBe(expectedAdded);
        expect(duplicates).toBe(view.length - expectedAdded);
        // an appended interaction is the n-th of its key in the view, for n past what the disk held
        for (const appended of interactions.slice(disk.length)) expect(view).toContain(appended);
        const conflicts = findConflicts(disk, view, keyOf);
        const expected = view.flatMap((it, other) => {
          const ordinal = view.slice(0, other).filter((o) => o.key === it.key).length;
          const kept = disk.map((d, i) => [d, i] as const).filter(([d]) => d.key === it.key)[ordinal];
          return kept && (kept[0].response!.body as { text: string }).text !== (it.response!.body as { text: string }).text ? [other] : [];
        });
        expect(conflicts.map((c) => c.other)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});
