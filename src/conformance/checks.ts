import { addAbortChecks } from './abort-checks.js';
import { addBasicChecks } from './basic-checks.js';
import { addCapabilityChecks } from './capability-checks.js';
import type { CheckSuite } from './check-support.js';
import { ConformanceSkip, instantiate } from './check-support.js';
import { addFaultChecks } from './fault-checks.js';
import { addProtocolChecks } from './protocol-checks.js';
import type { CheckOutcome, ConformanceCheck, ConformanceOptions, ProviderFactory } from './types.js';
import { addValidationChecks } from './validation-checks.js';

/**
 * The runner-agnostic conformance suite: one check per contract clause, those that cannot apply
 * marked with the reason. Register each as a test in any runner (see
 * `describeProviderConformance`), or run them yourself.
 */
export function conformanceChecks(factory: ProviderFactory, options: ConformanceOptions = {}): ConformanceCheck[] {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks: ConformanceCheck[] = [];
  const suite: CheckSuite = {
    capabilities: options.capabilities ?? {},
    options,
    timeoutMs,
    abortWithinMs: options.abortWithinMs ?? 1000,
    add: (name, run, skip) => {
      const check: ConformanceCheck = {
        name,
        timeoutMs,
        ...(skip === undefined ? {} : { skip }),
        async run(): Promise<CheckOutcome> {
          if (skip !== undefined) return { status: 'skip', reason: skip };
          try {
            await run();
          } catch (error) {
            if (error instanceof ConformanceSkip) return { status: 'skip', reason: error.reason };
            throw error;
          }
          return { status: 'pass' };
        },
      };
      checks.push(check);
    },
    fresh: () => instantiate(factory),
  };
  addBasicChecks(suite);
  addProtocolChecks(suite);
  addAbortChecks(suite);
  addValidationChecks(suite);
  addFaultChecks(suite);
  addCapabilityChecks(suite);
  return checks;
}
