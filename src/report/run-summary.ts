import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { SessionNote } from './run-log.js';
import type { CassetteUse, RunReport } from './run-report.js';

/** Where the run report goes when neither the option nor LLM_CASSETTE_REPORT says: outside every cassette folder. */
export const DEFAULT_REPORT_PATH = 'node_modules/.cache/cassettes/run-report.json';
export const REPORT_ENV = 'LLM_CASSETTE_REPORT';
export const SUMMARY_ENV = 'LLM_CASSETTE_SUMMARY';

/** The run's cassettes, one entry per file, from every session's note. */
export function buildRunReport(notes: readonly SessionNote[], run: { runner: RunReport['runner']; startedAt: number; filtered: boolean }): RunReport {
  const byFile = new Map<string, CassetteUse & { loaded: number; used: Set<number> }>();
  const dirs = new Set<string>();
  for (const { report, dir, loaded } of notes) {
    dirs.add(dir);
    let use = byFile.get(report.file);
    if (!use) {
      use = {
        file: report.file,
        names: [],
        modes: [],
        sessions: 0,
        replayed: 0,
        recorded: 0,
        refused: 0,
        passedThrough: 0,
        unused: [],
        written: false,
        loaded: 0,
        used: new Set(),
      };
      byFile.set(report.file, use);
    }
    if (!use.names.includes(report.name)) use.names.push(report.name);
    if (!use.modes.includes(report.mode)) use.modes.push(report.mode);
    use.sessions++;
    use.replayed += report.replayed;
    use.recorded += report.recorded;
    use.refused += report.refused;
    use.passedThrough += report.passedThrough;
    use.written ||= report.written;
    use.loaded = Math.max(use.loaded, loaded);
    const unused = new Set(report.unused);
    // a mode that does not report unused interactions (all, passthrough) used none and judges none
    if (report.mode === 'all' || report.mode === 'passthrough') continue;
    for (let i = 0; i < loaded; i++) if (!unused.has(i)) use.used.add(i);
  }
  const cassettes: CassetteUse[] = [...byFile.values()]
    .map(({ loaded, used, ...use }) => ({ ...use, unused: Array.from({ length: loaded }, (_, i) => i).filter((i) => !used.has(i)) }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    version: 1,
    runner: run.runner,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    filtered: run.filtered,
    cassetteDirs: [...dirs].sort(),
    cassettes,
  };
}

/** Cassette files under the run's cassette folders that no session opened (only meaningful for a whole run). */
export function orphans(report: RunReport): string[] {
  const opened = new Set(report.cassettes.map((c) => c.file));
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name) && !opened.has(path)) found.push(path);
    }
  };
  for (const dir of report.cassetteDirs) walk(dir);
  return found.sort();
}

/** The summary printed at the end of a run; empty when no cassette was used. */
export function formatSummary(report: RunReport, tokensReplayed: number, cwd = process.cwd()): string {
  if (report.cassettes.length === 0) return '';
  const sum = (key: 'replayed' | 'recorded' | 'refused'): number => report.cassettes.reduce((n, c) => n + c[key], 0);
  const withUnused = report.cassettes.filter((c) => c.unused.length > 0);
  const unusedCount = withUnused.reduce((n, c) => n + c.unused.length, 0);
  const show = (file: string): string => relative(cwd, file) || file;
  const lines = [
    `cassettes: ${report.cassettes.length} cassette${report.cassettes.length === 1 ? '' : 's'} · ${sum('replayed')} replayed · ${sum('recorded')} recorded · ` +
      `${sum('refused')} refused · ${unusedCount} unused${tokensReplayed > 0 ? ` · ${tokensReplayed.toLocaleString('en-US')} tokens replayed` : ''}`,
  ];
  for (const c of withUnused) lines.push(`  unused: ${show(c.file)} #${c.unused.join(', #')}`);
  if (!report.filtered) for (const file of orphans(report)) lines.push(`  opened by no test: ${show(file)}`);
  return lines.join('\n');
}

/** Where the report is written: the option, else LLM_CASSETTE_REPORT, else the default; false: nowhere. */
export function reportPath(option: string | false | undefined, cwd = process.cwd()): string | undefined {
  if (option === false) return undefined;
  const chosen = option ?? process.env[REPORT_ENV] ?? DEFAULT_REPORT_PATH;
  return chosen === '0' || chosen === 'false' ? undefined : resolve(cwd, chosen);
}

export function writeRunReport(path: string, report: RunReport): void {
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** Whether the summary is printed: not with LLM_CASSETTE_SUMMARY=0 or the option false. */
export function summaryWanted(option: boolean | undefined): boolean {
  if (option === false) return false;
  const env = process.env[SUMMARY_ENV]?.toLowerCase();
  return env !== '0' && env !== 'false';
}

export interface FinishOptions {
  runner: RunReport['runner'];
  startedAt: number;
  filtered: boolean;
  /** A path for the JSON report, or false for none (default: LLM_CASSETTE_REPORT, else DEFAULT_REPORT_PATH). */
  report?: string | false | undefined;
  /** false: no summary printed (default: LLM_CASSETTE_SUMMARY, else printed). */
  summary?: boolean | undefined;
  write?: (text: string) => void;
}

/** End of a run: the JSON report written, the summary printed (only when a cassette was used). */
export function finishRun(notes: readonly SessionNote[], options: FinishOptions): RunReport | undefined {
  if (notes.length === 0) return undefined;
  const report = buildRunReport(notes, options);
  const path = reportPath(options.report);
  if (path) writeRunReport(path, report);
  if (summaryWanted(options.summary)) {
    const tokens = notes.reduce((n, { report: r }) => n + (r.tokensReplayed?.inputTokens ?? 0) + (r.tokensReplayed?.outputTokens ?? 0), 0);
    const text = formatSummary(report, tokens);
    if (text) (options.write ?? ((t: string) => process.stdout.write(t)))(`\n${text}${path ? `\n  report: ${relative(process.cwd(), path)}` : ''}\n`);
  }
  return report;
}
