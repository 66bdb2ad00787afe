import { parseMode, RECORD_FLAG_ENV, recordFlagFromArgv } from '../config.js';
import { isCassetteError } from '../errors.js';
import type { RecordMode } from '../types.js';

/**
 * The `--record=<mode>` a runner's main process was started with, validated there so a typo
 * stops the run before any worker starts.
 */
export function recordFlagForWorkers(argv: readonly string[] = process.argv): RecordMode | undefined {
  const flag = recordFlagFromArgv(argv) ?? process.env[RECORD_FLAG_ENV];
  if (!flag) return undefined;
  try {
    return parseMode(flag, '--record');
  } catch (error) {
    // @note runners print a startup error as text only: the stable code has to be in it.
    if (isCassetteError(error)) error.message += `\n  code:       ${error.code}`;
    throw error;
  }
}
