import { ConformanceError } from './conformance-error.js';
import type { TestRegistrar } from './register.js';
import { registerConformance } from './register.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

/**
 * Vitest's own module namespace, which its workers put on `globalThis.__vitest_index__` (the same
 * object `import.meta.vitest` returns for in-source tests).
 *
 * @note `vitest` cannot be loaded synchronously from here: its CommonJS entry throws on
 * `require()`, and a dynamic `import()` would make registration asynchronous (Vitest collects
 * tests synchronously). The worker global is the one synchronous handle in both ESM and CJS.
 */
export function vitestRegistrar(): TestRegistrar | undefined {
  const index = (globalThis as { __vitest_index__?: { describe?: unknown; test?: unknown } }).__vitest_index__;
  if (typeof index?.describe !== 'function' || typeof index.test !== 'function') return undefined;
  return { describe: index.describe as TestRegistrar['describe'], test: index.test as TestRegistrar['test'] };
}

/** `describe`/`test` globals: Jest's (and Vitest's with `globals: true`). */
export function globalRegistrar(): TestRegistrar | undefined {
  const g = globalThis as { describe?: unknown; test?: unknown; it?: unknown };
  const test = typeof g.test === 'function' ? g.test : g.it;
  if (typeof g.describe !== 'function' || typeof test !== 'function') return undefined;
  return { describe: g.describe as TestRegistrar['describe'], test: test as TestRegistrar['test'] };
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

/** Registers the conformance suite with Jest's global `describe` / `test`. */
export function describeWithGlobals(name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  const registrar = globalRegistrar();
  if (!registrar) {
    throw new ConformanceError(
      'cassettes: describeProviderConformance found no global `describe`/`test`. Call it from a Jest test file ' +
        '(with injectGlobals on), or use cassettes/conformance/vitest under Vitest.',
    );
  }
  registerConformance(registrar, name, factory, options);
}
