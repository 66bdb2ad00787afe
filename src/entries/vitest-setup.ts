import { AsyncLocalStorage } from 'node:async_hooks';
import * as vitest from 'vitest';
import { nextCassette } from '../integrations/test-names.js';
import { type TaskLike, vitestRun } from '../integrations/vitest-task.js';
import { prepareWorker } from '../integrations/worker-setup.js';
import { CURRENT_TEST, RUNNING_TEST, type TestIdentity } from '../naming.js';

// Runs in each worker before the test file is imported: SDK clients built at the top of a test
// module are created after interception is in place.
prepareWorker();

const running = new AsyncLocalStorage<TaskLike>();
let current: TaskLike | undefined;

(globalThis as Record<symbol, unknown>)[RUNNING_TEST] = (): { file: string; title: string } | undefined => {
  const task = running.getStore() ?? current;
  return task ? vitestRun(task) : undefined;
};

(globalThis as Record<symbol, unknown>)[CURRENT_TEST] = (): TestIdentity | undefined => {
  const task = running.getStore() ?? current;
  return task ? nextCassette(vitestRun(task)) : undefined;
};

// @note aroundEach (Vitest ≥ 4.1) carries the test through its async context, so a nameless
// withCassette in a test.concurrent test finds its own test; older Vitest gets the last test
// started, which is right for sequential tests only.
const aroundEach = (vitest as Partial<typeof vitest>).aroundEach;
if (typeof aroundEach === 'function') {
  // @note destructured: Vitest reads this parameter's source to find the fixtures a hook uses
  aroundEach((runTest, { task }) => running.run(task as unknown as TaskLike, runTest));
} else {
  vitest.beforeEach((context) => {
    current = context.task as unknown as TaskLike;
  });
  vitest.afterEach(() => {
    current = undefined;
  });
}
