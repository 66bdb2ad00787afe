import type { RunReport } from '../../../src/report/run-report.js';
import type { CassetteReport } from '../../../src/types.js';

/**
 * A run report built from the per-cassette reports of the sessions of one run, the way the
 * runner integrations aggregate them: one entry per file; an interaction is unused when no
 * session of the run used it.
 */
export function runReportOf(reports: readonly CassetteReport[], options: { dirs: string[]; filtered?: boolean; startedAt: Date }): RunReport {
  const byFile = new Map<string, CassetteReport[]>();
  for (const report of reports) byFile.set(report.file, [...(byFile.get(report.file) ?? []), report]);
  return {
    version: 1,
    runner: 'script',
    startedAt: options.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    filtered: options.filtered ?? false,
    cassetteDirs: options.dirs,
    cassettes: [...byFile].map(([file, sessions]) => ({
      file,
      names: [...new Set(sessions.map((s) => s.name))],
      modes: [...new Set(sessions.map((s) => s.mode))],
      sessions: sessions.length,
      replayed: sum(sessions, 'replayed'),
      recorded: sum(sessions, 'recorded'),
      refused: sum(sessions, 'refused'),
      passedThrough: sum(sessions, 'passedThrough'),
      unused: sessions.map((s) => s.unused).reduce((common, unused) => common.filter((i) => unused.includes(i))),
      written: sessions.some((s) => s.written),
    })),
  };
}

function sum(sessions: readonly CassetteReport[], field: 'replayed' | 'recorded' | 'refused' | 'passedThrough'): number {
  return sessions.reduce((total, s) => total + s[field], 0);
}
