import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CassetteReport } from '../types.js';

/** Set by the runner integrations in the main process: where workers leave what their cassettes did. */
export const RUN_DIR_ENV = 'LLM_CASSETTE_RUN_DIR';

/** One closed cassette session, as a worker notes it for the run's summary. */
export interface SessionNote {
  report: CassetteReport;
  /** The cassette's folder (the `dir` option, resolved). */
  dir: string;
  /** How many interactions the session loaded from the file. */
  loaded: number;
}

/** Main process: a fresh folder for the workers' notes, handed to them through the environment. */
export function startRunLog(env: NodeJS.ProcessEnv = process.env): string {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-run-'));
  env[RUN_DIR_ENV] = dir;
  return dir;
}

/**
 * Worker: notes a closed session, one JSON line per session in a file of this process.
 * @note synchronous and append-only: a worker may be killed between tests, and lines from
 * separate processes never interleave inside a file of their own.
 */
export function noteSession(note: SessionNote): void {
  append(note);
}

/**
 * Worker: notes a test file in which `.only` left tests out, seen where the main process cannot
 * (Jest gives its global setup no results): the run's report is then a filtered one.
 */
export function noteFocused(testFile: string): void {
  append({ focused: testFile });
}

function append(line: SessionNote | { focused: string }): void {
  const dir = process.env[RUN_DIR_ENV];
  if (!dir) return;
  try {
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
  } catch {
    // the main process cleaned up already (a run that ended): nothing to report to
  }
}

/** What the workers of a run noted. */
export interface RunLog {
  sessions: SessionNote[];
  /** Test files in which `.only` left tests out. */
  focused: string[];
}

/** Main process: every note of the run, then the folder is removed. */
export function readRunLog(dir: string): RunLog {
  const log: RunLog = { sessions: [], focused: [] };
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return log;
  }
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      let note: SessionNote | { focused?: unknown };
      try {
        note = JSON.parse(line) as SessionNote | { focused?: unknown };
      } catch {
        continue; // a line cut short by a killed worker
      }
      if ('report' in note) log.sessions.push(note);
      else if (typeof note.focused === 'string' && !log.focused.includes(note.focused)) log.focused.push(note.focused);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return log;
}
