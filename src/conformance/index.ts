// Entry point of `cassettes/conformance`: picks the running test runner by itself.
import { ConformanceError } from './conformance-error.js';
import { globalRegistrar } from './jest.js';
import type { TestRegistrar } from './register.js';
import { registerConformance } from './register.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

export { conformanceChecks } from './checks.js';
export { ConformanceError } from './conformance-error.js';
export type { TestRegistrar } from './register.js';
export { registerConformance } from './register.js';
export type {
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceFault,
  ConformanceOptions,
  ProviderFactory,
} from './types.js';

/**
 * Vitest's own module namespace, which its workers put on `globalThis.__vitest_index__` (the same
 * object `import.meta.vitest` returns for in-source tests).
 *
 * @note `vitest` cannot be loaded synchronously from here: its CommonJS entry throws on
 * `require()`, and a dynamic `import()` would make registration asynchronous (Vitest collects
 * tests synchronously). The worker global is the one synchronous handle in both ESM and CJS.
 */
function vitestRegistrar(): TestRegistrar | undefined {
  const index = (globalThis as { __vitest_index__?: { describe?: unknown; test?: unknown } }).__vitest_index__;
  if (typeof index?.describe !== 'function' || typeof index.test !== 'function') return undefined;
  return { describe: index.describe as TestRegistrar['describe'], test: index.test as TestRegistrar['test'] };
}

/**
 * Registers one test per conformance check in the running Vitest or Jest file: Vitest is found
 * with or without `globals: true`, Jest through its globals. For other setups use the explicit
 * `cassettes/conformance/vitest` or `/jest` entry, or `conformanceChecks()` directly.
 */
export function describeProviderConformance(name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  const registrar = vitestRegistrar() ?? globalRegistrar();
  if (!registrar) {
    throw new ConformanceError(
      'cassettes: describeProviderConformance must be called while Vitest or Jest collects a test file ' +
        '(no Vitest worker and no global describe/test found). Use conformanceChecks() to run the checks elsewhere.',
    );
  }
  registerConformance(registrar, name, factory, options);
}
