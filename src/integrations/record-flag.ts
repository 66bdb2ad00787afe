import { parseMode, RECORD_ENV, RECORD_FLAG_ENV, recordFlagFromArgv } from '../config.js';
import { isCassetteError } from '../errors.js';
import type { RecordMode } from '../types.js';

/**
 * The `--record=<mode>` a runner's main process was started with, validated there so a typo
 * stops the run before any worker starts.
 */
export function recordFlagForWorkers(argv: readonly string[] = process.argv): RecordMode | undefined {
  const flag = recordFlagFromArgv(argv) ?? process.env[RECORD_FLAG_ENV];
  const env = process.env[RECORD_ENV];
  try {
    if (flag) return parseMode(flag, '--record');
    // the workers inherit it and read it themselves; a typo should still stop the run here
    if (env) parseMode(env, RECORD_ENV);
    return undefined;
  } catch (error) {
    // @note runners print a startup error as text only: the stable code has to be in it.
    if (isCassetteError(error)) error.message += `\n  code:       ${error.code}`;
    throw error;
  }
}
