import { parseMode, RECORD_FLAG_ENV, recordFlagFromArgv } from '../config.js';

/**
 * `globalSetup: 'llm-cassette/jest/global-setup'`. Jest passes unknown options through
 * (`jest --record=new`), but only the main process sees them: hand the mode to the workers.
 */
export default function globalSetup(): void {
  const flag = recordFlagFromArgv(process.argv);
  if (flag) process.env[RECORD_FLAG_ENV] = parseMode(flag, '--record');
}
