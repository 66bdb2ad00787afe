import { test } from 'vitest';
import { cassetteNameFor } from '../naming.js';
import type { CassetteOptions } from '../types.js';
import { withCassette } from '../with-cassette.js';
import { nextCassette } from './test-names.js';
import { type TaskLike, vitestRun } from './vitest-task.js';

export type CassetteFixture = <T>(fn: () => T | Promise<T>, options?: CassetteOptions) => Promise<T>;

const create = () =>
  test.extend<{ cassette: CassetteFixture }>({
    cassette: async ({ task }, use) => {
      await use(<T>(fn: () => T | Promise<T>, options?: CassetteOptions) =>
        withCassette(cassetteNameFor(nextCassette(vitestRun(task as unknown as TaskLike))), fn, options),
      );
    },
  });

export type CassetteTestAPI = ReturnType<typeof create>;

let created: CassetteTestAPI | undefined;
const real = (): CassetteTestAPI => (created ??= create());

/**
 * A per-test cassette that is safe under test.concurrent on every Vitest version:
 * `cassetteTest('x', async ({ cassette }) => cassette(() => client.chat.completions.create(...)))`.
 * Names and numbering are those of a nameless withCassette(fn) in the same test.
 *
 * @note created on first use: vitest.config.ts imports this module in Vitest's main process,
 * where test.extend() throws (there is no suite to collect into).
 */
export const cassetteTest: CassetteTestAPI = new Proxy((() => undefined) as unknown as CassetteTestAPI, {
  apply: (_target, thisArg, args) => Reflect.apply(real() as unknown as (...a: unknown[]) => unknown, thisArg, args),
  // Vitest finds a chain's state through a property of `this`, which reads through here
  get: (_target, key) => Reflect.get(real(), key),
  has: (_target, key) => Reflect.has(real(), key),
});
