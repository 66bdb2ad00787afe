import { within } from './check-support.js';
import { conformanceChecks } from './checks.js';
import { reportFor } from './report.js';
import { firstLine } from './report-format.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

type TestFn = (...args: unknown[]) => Promise<void>;

/**
 * The functions every supported runner has: `describe(name, fn)` and `test(name, fn, timeout)`,
 * with `test.skip` where the runner has it (Vitest and Jest do).
 */
export interface TestRegistrar {
  describe(name: string, fn: () => void): void;
  test: ((name: string, fn: TestFn, timeout?: number) => void) & { skip?: (name: string, fn?: TestFn) => void };
}

/** Vitest hands each test a context whose `skip(note)` marks it skipped at run time. */
function skipInRunner(args: readonly unknown[], reason: string): void {
  const skip = (args[0] as { skip?: unknown } | undefined)?.skip;
  if (typeof skip === 'function') (skip as (note: string) => void)(reason);
}

export function registerConformance(runner: TestRegistrar, name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  const checks = conformanceChecks(factory, options);
  const report = reportFor(options.report);
  runner.describe(`LLMProvider conformance: ${name}`, () => {
    checks.forEach((check, order) => {
      const record = (status: 'pass' | 'fail' | 'skip', detail?: string): void =>
        report?.record({ provider: name, check: check.name, order, status, ...(detail === undefined ? {} : { detail }) });
      if (check.skip !== undefined && runner.test.skip) {
        record('skip', check.skip);
        runner.test.skip(`${check.name} (skipped: ${check.skip})`, async () => undefined);
        return;
      }
      // @note no declared parameter: Jest would take one for a `done` callback; Vitest passes its context
      runner.test(
        check.name,
        async (...args: unknown[]) => {
          let outcome: Awaited<ReturnType<typeof check.run>>;
          try {
            // a check that hangs fails with its own message (and lands in the report) before the runner's timeout
            outcome = await within(check.run(), check.timeoutMs, `the check '${check.name}'`);
          } catch (error) {
            record('fail', firstLine(error));
            throw error;
          }
          if (outcome.status === 'skip') {
            record('skip', outcome.reason);
            skipInRunner(args, outcome.reason);
            return;
          }
          record('pass');
        },
        check.timeoutMs + 1000,
      );
    });
  });
}
