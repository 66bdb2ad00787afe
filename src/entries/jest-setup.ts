import { runInThisContext } from 'node:vm';
import { jestFocusedFile, jestRun } from '../integrations/jest-test.js';
import { nextCassette } from '../integrations/test-names.js';
import { prepareWorker } from '../integrations/worker-setup.js';
import { CURRENT_TEST, FOCUSED_FILE, RUNNING_TEST, type TestIdentity } from '../naming.js';

/**
 * Jest runs setupFiles once per test file, each time in a fresh module registry AND a fresh vm
 * context, while Node's fetch and node:http belong to the worker's main realm. The interceptor
 * is installed once per worker and outlives the file that installed it, so it should not be
 * code from that file's registry, whose context Jest tears down (and, with
 * `globalsCleanup: 'on'`, strips) when that file ends. Node's own require loads the package
 * into the main realm, outside Jest's registry, where the interceptor installs once and stays;
 * each test file's copy then finds it on the main realm (intercept/registry.ts).
 * @note inside Jest, `require('node:module').createRequire` is Jest's and loads into the
 * registry: the real one comes from the main realm's `process`.
 */
function installInMainRealm(): void {
  try {
    const mainProcess = runInThisContext('process') as NodeJS.Process;
    const { createRequire } = mainProcess.getBuiltinModule('node:module');
    createRequire(import.meta.url)('cassettes');
  } catch {
    // not resolvable by its own name (a bundled or renamed copy): this file's copy installs it
  }
}

// Before the test file is required, so SDK clients built at the top of a test module are
// created with interception already in place. This file's own copy then gives the test file's
// realm a dispatcher of ours, before any undici loaded there can put an Agent of its own in that
// realm's global (intercept/dispatcher.ts, docs/discoveries/jest-realms.md).
installInMainRealm();
prepareWorker();

// On this test file's global, where with-cassette (loaded by the same registry) looks for it.
(globalThis as Record<symbol, unknown>)[RUNNING_TEST] = (): { file: string; title: string } | undefined => jestRun();
(globalThis as Record<symbol, unknown>)[FOCUSED_FILE] = (): string | undefined => jestFocusedFile();

(globalThis as Record<symbol, unknown>)[CURRENT_TEST] = (): TestIdentity | undefined => {
  const run = jestRun();
  return run ? nextCassette(run) : undefined;
};
