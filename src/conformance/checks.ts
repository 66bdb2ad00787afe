import { addAbortChecks } from './abort-checks.js';
import { addBasicChecks } from './basic-checks.js';
import { addCapabilityChecks } from './capability-checks.js';
import type { CheckSuite } from './check-support.js';
import { instantiate } from './check-support.js';
import { addFaultChecks } from './fault-checks.js';
import type { ConformanceCheck, ConformanceOptions, ProviderFactory } from './types.js';
import { addValidationChecks } from './validation-checks.js';

/**
 * The runner-agnostic conformance suite: one check per contract clause. Register each as a test
 * in any runner (see `describeProviderConformance`), or run them yourself.
 */
export function conformanceChecks(factory: ProviderFactory, options: ConformanceOptions = {}): ConformanceCheck[] {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks: ConformanceCheck[] = [];
  const suite: CheckSuite = {
    capabilities: options.capabilities ?? {},
    options,
    timeoutMs,
    abortWithinMs: options.abortWithinMs ?? 1000,
    add: (name, run) => void checks.push({ name, timeoutMs, run }),
    fresh: () => instantiate(factory),
  };
  addBasicChecks(suite);
  addAbortChecks(suite);
  addValidationChecks(suite);
  addFaultChecks(suite);
  addCapabilityChecks(suite);
  return checks;
}
