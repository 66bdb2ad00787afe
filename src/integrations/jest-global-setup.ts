import { RECORD_FLAG_ENV, RUN_STARTED_ENV } from '../config.js';
import { recordFlagForWorkers } from './record-flag.js';

/**
 * `globalSetup: 'cassettes/jest/global-setup'`. Jest lets unknown options through
 * (`jest --record=new`), but only its main process sees them: workers are forked without
 * them, and inherit the environment set here (globalSetup runs before they start).
 */
export default function globalSetup(): void {
  const mode = recordFlagForWorkers();
  if (mode) process.env[RECORD_FLAG_ENV] = mode;
  // the workers inherit it: `once` keeps recording into a cassette this run created (record-mode.ts)
  process.env[RUN_STARTED_ENV] = String(Date.now());
}
