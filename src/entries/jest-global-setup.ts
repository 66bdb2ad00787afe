import { RECORD_FLAG_ENV, RUN_STARTED_ENV } from '../config.js';
import { recordFlagForWorkers } from '../integrations/record-flag.js';
import { readRunLog, startRunLog } from '../report/run-log.js';
import { finishRun } from '../report/run-summary.js';

/** The slice of Jest's global config that says whether the whole suite runs. */
interface JestGlobalConfigLike {
  testPathPatterns?: { patterns?: unknown[] } | unknown[] | undefined;
  testNamePattern?: string | undefined;
  onlyChanged?: boolean;
  onlyFailures?: boolean;
  findRelatedTests?: boolean;
  changedSince?: string | undefined;
  shard?: unknown;
  nonFlagArgs?: string[];
}

/** A run that leaves tests out: what it did not use may be used by those. */
function isFiltered(config: JestGlobalConfigLike | undefined): boolean {
  if (!config) return false;
  const patterns = config.testPathPatterns;
  const pathPatterns = Array.isArray(patterns) ? patterns : (patterns?.patterns ?? []);
  return (
    pathPatterns.length > 0 ||
    (config.nonFlagArgs?.length ?? 0) > 0 ||
    !!config.testNamePattern ||
    !!config.onlyChanged ||
    !!config.onlyFailures ||
    !!config.findRelatedTests ||
    !!config.changedSince ||
    !!config.shard
  );
}

/**
 * `globalSetup: 'cassettes/jest/global-setup'`. Jest lets unknown options through
 * (`jest --record=new`), but only its main process sees them: workers are forked without
 * them, and inherit the environment set here (globalSetup runs before they start). At the end
 * of the run (the main process exits), the summary is printed and the run report written.
 */
export default function globalSetup(globalConfig?: JestGlobalConfigLike): void {
  const mode = recordFlagForWorkers();
  if (mode) process.env[RECORD_FLAG_ENV] = mode;
  const startedAt = Date.now();
  // the workers inherit it: `once` keeps recording into a cassette this run created (record-mode.ts)
  process.env[RUN_STARTED_ENV] = String(startedAt);
  const runLog = startRunLog();
  const filtered = isFiltered(globalConfig);
  // @note 'exit', not a globalTeardown: no third line in the user's jest.config.js
  process.once('exit', () => {
    const { sessions, focused } = readRunLog(runLog);
    finishRun(sessions, { runner: 'jest', startedAt, filtered: filtered || focused.length > 0 });
  });
}
