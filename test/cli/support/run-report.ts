import { RUN_DIR_ENV, readRunLog, startRunLog } from '../../../src/report/run-log.js';
import type { RunReport } from '../../../src/report/run-report.js';
import { finishRun } from '../../../src/report/run-summary.js';

/**
 * Runs `suite` as a test run does under the runner integrations: every cassette session notes
 * itself in the run log, and at the end the run report is written to `reportFile` by the same
 * code the Vitest plugin and the Jest global setup use.
 */
export async function runSuite(suite: () => Promise<void>, options: { reportFile: string; filtered?: boolean }): Promise<RunReport> {
  const startedAt = Date.now();
  const log = startRunLog();
  try {
    await suite();
  } finally {
    delete process.env[RUN_DIR_ENV];
  }
  const report = finishRun(readRunLog(log).sessions, {
    runner: 'script',
    startedAt,
    filtered: options.filtered ?? false,
    report: options.reportFile,
    summary: false,
  });
  if (!report) throw new Error('the suite opened no cassette');
  return report;
}
