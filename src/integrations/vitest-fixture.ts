import { test } from 'vitest';
import { withCassette } from '../with-cassette.js';
import { cassetteNameFor } from '../naming.js';
import type { CassetteOptions } from '../types.js';

export type CassetteFixture = <T>(fn: () => T | Promise<T>, options?: CassetteOptions) => Promise<T>;

interface TaskLike {
  name: string;
  suite?: TaskLike | undefined;
  file?: { filepath: string } | undefined;
}

const usedNames = new Map<string, number>();

function titlesOf(task: TaskLike): string[] {
  const titles: string[] = [];
  for (let t: TaskLike | undefined = task; t; t = t.suite) if (t.name && t.suite !== undefined) titles.unshift(t.name);
  return titles;
}

/** A per-test cassette that is safe under test.concurrent: `cassetteTest('x', ({ cassette }) => cassette(fn))`. */
export const cassetteTest = test.extend<{ cassette: CassetteFixture }>({
  cassette: async ({ task }, use) => {
    const t = task as unknown as TaskLike;
    let name = cassetteNameFor({ file: t.file?.filepath ?? 'unknown', titles: titlesOf(t) });
    let calls = 0;
    await use(<T>(fn: () => T | Promise<T>, options?: CassetteOptions) => {
      calls++;
      // a second cassette in the same test, or a repeated title, gets its own file
      const seen = usedNames.get(name) ?? 0;
      usedNames.set(name, seen + 1);
      const unique = calls > 1 || seen > 0 ? `${name} (${seen + 1})` : name;
      return withCassette(unique, fn, options);
    });
    name = '';
  },
});
