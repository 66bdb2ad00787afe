import { conformanceChecks } from './checks.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

/** The two functions every supported runner has: `describe(name, fn)` and `test(name, fn, timeout)`. */
export interface TestRegistrar {
  describe(name: string, fn: () => void): void;
  test(name: string, fn: () => Promise<void>, timeout?: number): void;
}

export function registerConformance(runner: TestRegistrar, name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  const checks = conformanceChecks(factory, options);
  runner.describe(`LLMProvider conformance: ${name}`, () => {
    for (const check of checks) runner.test(check.name, () => check.run(), check.timeoutMs);
  });
}
