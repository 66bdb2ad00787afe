import type { CliIo } from './verbs.js';

/** Runs over fewer files finish before progress would help. */
export const PROGRESS_MIN_ITEMS = 20;
const EVERY_MS = 100;

export interface Progress {
  tick(): void;
  /** Clears the progress line. */
  done(): void;
}

/**
 * `cassettes verify: 120/500 files` on one rewritten stderr line, only when stderr is a terminal
 * and the run is long; nothing in pipes, CI logs or short runs.
 */
export function progress(io: CliIo, label: string, total: number, now: () => number = Date.now): Progress {
  if (io.err.isTTY !== true || total < PROGRESS_MIN_ITEMS) return { tick() {}, done() {} };
  let count = 0;
  let shownAt = 0;
  let shown = false;
  return {
    tick() {
      count++;
      const at = now();
      if (at - shownAt < EVERY_MS && count < total) return;
      shownAt = at;
      shown = true;
      io.err.write(`\r\x1b[2K${label}: ${count}/${total} files`);
    },
    done() {
      if (shown) io.err.write('\r\x1b[2K');
    },
  };
}
