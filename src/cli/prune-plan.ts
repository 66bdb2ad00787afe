import { stat } from 'node:fs/promises';
import { decodeCassette } from '../cassette/codec.js';
import type { CassetteUse, RunReport } from '../report/run-report.js';
import { orphans } from '../report/run-summary.js';
import type { CassetteData } from '../types.js';
import { displayPath, readCassetteText } from './cassette-files.js';

/** Interactions to take out of one file. */
export interface Trim {
  file: string;
  /** The file as it is now (to write only if it is still that). */
  text: string;
  data: CassetteData;
  /** Indices to remove, ascending. */
  remove: number[];
}

export interface PrunePlan {
  trims: Trim[];
  /** Cassette files in the run's folders that no test opened. */
  deletes: string[];
  /** Files left alone, and why. */
  skipped: { file: string; why: string }[];
}

/**
 * What the run report allows to prune. A file is left alone when the report cannot speak for it
 * as it is now: changed since the run ended, shorter than the indices say, re-recorded in the run
 * (mode all), or a test that refused a request (it failed: what it did not reach may be needed).
 */
export async function planPrune(report: RunReport): Promise<PrunePlan> {
  const finishedAt = Date.parse(report.finishedAt);
  const plan: PrunePlan = { trims: [], deletes: [], skipped: [] };
  // @note whole milliseconds, as finishedAt has: a file written in the run's last millisecond is not "after"
  const changedSinceRun = async (file: string): Promise<boolean> => Math.floor((await stat(file).catch(() => undefined))?.mtimeMs ?? 0) > finishedAt;

  for (const use of [...report.cassettes].sort((a, b) => compare(a.file, b.file))) {
    if (use.unused.length === 0) continue;
    const why = await trimRefusal(use, changedSinceRun);
    if (why) {
      plan.skipped.push({ file: use.file, why });
      continue;
    }
    const text = await readCassetteText(use.file);
    const data = decodeCassette(text, displayPath(use.file));
    const remove = [...new Set(use.unused)].sort((a, b) => a - b);
    if (remove.at(-1)! >= data.interactions.length) {
      plan.skipped.push({
        file: use.file,
        why: `the report names interaction #${remove.at(-1)} but the file has ${data.interactions.length}: it changed since the run`,
      });
      continue;
    }
    plan.trims.push({ file: use.file, text, data, remove });
  }

  for (const file of orphans(report)) {
    if (await changedSinceRun(file)) plan.skipped.push({ file, why: 'no test opened it, but it changed after the run ended' });
    else plan.deletes.push(file);
  }
  return plan;
}

async function trimRefusal(use: CassetteUse, changedSinceRun: (file: string) => Promise<boolean>): Promise<string | undefined> {
  if (use.refused > 0)
    return `${use.refused} request${use.refused === 1 ? ' was' : 's were'} refused here (a test failed): what it did not use may still be needed`;
  if (use.written && use.modes.includes('all')) return 're-recorded in this run (mode all): the report indexes the file as it was before';
  if (
    await stat(use.file).then(
      () => false,
      () => true,
    )
  )
    return 'the file is gone';
  if (await changedSinceRun(use.file)) return 'the file changed after the run ended: run the suite again and prune with its report';
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
