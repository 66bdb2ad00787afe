import { installInterception } from '../intercept/install.js';
import { CURRENT_TEST, type TestIdentity } from '../naming.js';
import { jestRun } from './jest-test.js';
import { applyPluginOptions } from './plugin-options.js';
import { nextCassette } from './test-names.js';

// @note Jest runs setupFiles once per test file, in a fresh module registry and vm context.
// The interceptor lives on the worker's main realm and is installed by the first file only;
// later files find it there (see intercept/registry.ts). This runs before the test file is
// required, so SDK clients built at the top of a test module are already covered.
installInterception();
applyPluginOptions();

// On this test file's global, where with-cassette (loaded by the same registry) looks for it.
(globalThis as Record<symbol, unknown>)[CURRENT_TEST] = (): TestIdentity | undefined => {
  const run = jestRun();
  return run ? nextCassette(run) : undefined;
};
