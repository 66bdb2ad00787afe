// Entry point of `cassettes/conformance/jest`.
import { ConformanceError } from './conformance-error.js';
import type { TestRegistrar } from './register.js';
import { registerConformance } from './register.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

export { conformanceChecks } from './checks.js';
export { ConformanceError } from './conformance-error.js';
export type {
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceFault,
  ConformanceOptions,
  ProviderFactory,
} from './types.js';

/** `describe`/`test` globals: Jest's (and Vitest's with `globals: true`, Mocha's, node:test's are not). */
export function globalRegistrar(): TestRegistrar | undefined {
  const g = globalThis as { describe?: unknown; test?: unknown; it?: unknown };
  const test = typeof g.test === 'function' ? g.test : g.it;
  if (typeof g.describe !== 'function' || typeof test !== 'function') return undefined;
  return { describe: g.describe as TestRegistrar['describe'], test: test as TestRegistrar['test'] };
}

/** Registers the conformance suite with Jest's global `describe` / `test`. */
export function describeProviderConformance(name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  const registrar = globalRegistrar();
  if (!registrar) {
    throw new ConformanceError(
      'cassettes: describeProviderConformance found no global `describe`/`test`. Call it from a Jest test file ' +
        '(with injectGlobals on), or use cassettes/conformance/vitest under Vitest.',
    );
  }
  registerConformance(registrar, name, factory, options);
}
