/**
 * When the current test run started, in ms since the epoch. Mode `all` drops what a cassette
 * held from before it (merge.ts), and keeps what other workers or other cassette calls of the
 * same run recorded since.
 *
 * @note the seam for the runner integrations: for now the start of this process, which is right
 * for one process and for workers that all start with the run; a Vitest or Jest run that starts
 * a worker late should hand the main process's start to its workers here.
 */
export function runStartedAt(): number {
  return performance.timeOrigin;
}
