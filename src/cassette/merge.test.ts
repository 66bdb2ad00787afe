import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Interaction } from '../types.js';
import { mergeInteractions } from './merge.js';

let serial = 0;
/** An interaction whose key is `key`; `tag` tells writers apart. */
function it(key: string, tag = `#${++serial}`, recordedAt = '2026-01-01T00:00:10.000Z'): Interaction {
  return {
    key,
    recordedAt,
    request: { method: 'POST', url: `https://x.test/${key}`, headers: { tag } },
    response: { status: 200, statusText: 'OK', headers: {}, headersAtMs: 0 },
  };
}
const keyOf = (i: Interaction): string => i.key!;
const tags = (list: readonly Interaction[]): string[] => list.map((i) => `${i.key}${i.request.headers['tag']}`);

describe('mergeInteractions', () => {
  test('what is on disk stays; the view’s new places are appended in its order', () => {
    const disk = [it('a', '1'), it('b', '1')];
    const view = [it('c', '2'), it('a', '2'), it('d', '2')];
    const merged = mergeInteractions({ disk, view, keyOf });
    expect(tags(merged.interactions)).toEqual(['a1', 'b1', 'c2', 'd2']);
    expect(merged).toMatchObject({ added: 2, duplicates: 1, dropped: 0 });
  });

  test('a place is (key, ordinal): a repeated request keeps its second recording, two tests’ ordinal 0 are one', () => {
    const disk = [it('a', '1')];
    // this writer made request a twice: its first a is at ordinal 0 (held), its second at 1 (new)
    const merged = mergeInteractions({ disk, view: [it('a', '2'), it('a', '3')], keyOf });
    expect(tags(merged.interactions)).toEqual(['a1', 'a3']);
    expect(merged).toMatchObject({ added: 1, duplicates: 1 });
  });

  test('first writer wins: the same new place from a second writer is a duplicate', () => {
    const first = mergeInteractions({ disk: [], view: [it('x', 'A')], keyOf });
    const second = mergeInteractions({ disk: first.interactions, view: [it('x', 'B')], keyOf });
    expect(tags(second.interactions)).toEqual(['xA']);
    expect(second.duplicates).toBe(1);
  });

  test('dropRecordedBefore (mode all) drops the disk’s older interactions, keeps this run’s, never the view’s', () => {
    const old = it('a', 'old', '2026-01-01T00:00:00.000Z');
    const sameRun = it('b', 'run', '2026-01-01T00:00:05.000Z');
    const view = [it('a', 'new', '2026-01-01T00:00:06.000Z'), it('b', 'again', '2026-01-01T00:00:07.000Z')];
    const merged = mergeInteractions({ disk: [old, sameRun], view, keyOf, dropRecordedBefore: Date.parse('2026-01-01T00:00:04.000Z') });
    expect(tags(merged.interactions)).toEqual(['brun', 'anew']);
    expect(merged).toMatchObject({ added: 1, duplicates: 1, dropped: 1 });
  });

  test('an interaction recorded in the very millisecond the run started is this run’s', () => {
    const at = Date.parse('2026-01-01T00:00:04.000Z');
    const merged = mergeInteractions({ disk: [it('a', 'edge', '2026-01-01T00:00:04.000Z')], view: [], keyOf, dropRecordedBefore: at + 0.7 });
    expect(merged.dropped).toBe(0);
  });

  // writers: each a list of keys it recorded, merged one after the other in any order
  const writers = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 6 }), { minLength: 1, maxLength: 5 });

  test('property: no place any writer recorded is ever lost, and the disk only grows', () => {
    fc.assert(
      fc.property(writers, fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }), (views, initial) => {
        let disk = initial.map((k) => it(k, 'disk'));
        for (const [w, keys] of views.entries()) {
          const view = keys.map((k) => it(k, `w${w}`));
          const merged = mergeInteractions({ disk, view, keyOf });
          expect(merged.interactions.slice(0, disk.length)).toEqual(disk);
          expect(merged.added + merged.duplicates).toBe(view.length);
          expect(merged.interactions).toHaveLength(disk.length + merged.added);
          // merging the same view again changes nothing
          expect(mergeInteractions({ disk: merged.interactions, view, keyOf }).added).toBe(0);
          disk = merged.interactions;
        }
        const count = (list: string[], key: string): number => list.filter((k) => k === key).length;
        for (const key of ['a', 'b', 'c', 'd']) {
          const most = Math.max(count(initial, key), ...views.map((keys) => count(keys, key)));
          expect(count(disk.map(keyOf), key)).toBe(most);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('property: the order writers save in changes which recording holds a place, never which places exist', () => {
    fc.assert(
      fc.property(writers, (views) => {
        const run = (order: string[][]): string[] => {
          let disk: Interaction[] = [];
          for (const keys of order) disk = mergeInteractions({ disk, view: keys.map((k) => it(k)), keyOf }).interactions;
          return disk.map(keyOf).sort();
        };
        expect(run([...views].reverse())).toEqual(run(views));
      }),
      { numRuns: 300 },
    );
  });
});
