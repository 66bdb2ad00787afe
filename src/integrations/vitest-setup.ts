import { afterEach, beforeEach } from 'vitest';
import { installInterception } from '../intercept/install.js';
import { applyPluginOptions } from './plugin-options.js';
import { CURRENT_TEST, type TestIdentity } from '../naming.js';

installInterception();
applyPluginOptions();

interface TaskLike {
  name: string;
  suite?: TaskLike | undefined;
  file?: { filepath: string } | undefined;
}

let current: TestIdentity | undefined;
(globalThis as Record<symbol, unknown>)[CURRENT_TEST] = () => current;

beforeEach((context) => {
  const task = context.task as unknown as TaskLike;
  const titles: string[] = [];
  for (let t: TaskLike | undefined = task; t; t = t.suite) if (t.name && t.suite !== undefined) titles.unshift(t.name);
  current = { file: task.file?.filepath ?? 'unknown', titles };
});

afterEach(() => {
  current = undefined;
});
