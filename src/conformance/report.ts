import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { CassetteError } from '../errors.js';
import type { CheckResult } from './report-format.js';
import { mergeResults, renderMarkdown } from './report-format.js';

export const REPORT_ENV = 'LLM_CASSETTE_CONFORMANCE_REPORT';

/**
 * The run this process belongs to: the test runner's main process. Vitest and Jest run test
 * files in worker threads (same pid) or forked children (the parent's pid); in band, the main
 * process is the runner itself. `LLM_CASSETTE_CONFORMANCE_RUN` names a run explicitly.
 */
function runId(): string {
  const named = process.env['LLM_CASSETTE_CONFORMANCE_RUN'];
  if (named) return named.replace(/[^\w.-]/g, '_');
  if (!isMainThread) return String(process.pid);
  return String(typeof process.send === 'function' ? process.ppid : process.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sleeps the thread: report writes are rare and short, and a test's own timers must not move. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(lock: string, fn: () => void): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed worker is older than any write takes
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new CassetteError('LLM_CASSETTE_WRITE', `cassettes: conformance report: timed out waiting for the lock ${lock}`);
      pause(5);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * The results of one process, written as a part of its run and merged with every other part of
 * that run (other test files, other workers) into `conformance.json` and `conformance.md` in `dir`.
 */
export class ConformanceReport {
  readonly dir: string;
  readonly #parts: string;
  readonly #part: string;
  readonly #results = new Map<string, CheckResult>();

  constructor(dir: string) {
    this.dir = resolve(dir);
    const root = join(tmpdir(), 'cassettes-conformance', createHash('sha1').update(this.dir).digest('hex').slice(0, 16));
    const run = runId();
    this.#parts = join(root, run);
    this.#part = join(this.#parts, `${process.pid}-${threadId}-${randomUUID()}.json`);
    mkdirSync(this.#parts, { recursive: true });
    mkdirSync(this.dir, { recursive: true });
    // parts of earlier runs whose runner has exited are stale
    for (const other of readdirSync(root)) {
      if (other !== run && /^\d+$/.test(other) && !alive(Number(other))) rmSync(join(root, other), { recursive: true, force: true });
    }
  }

  record(result: CheckResult): void {
    this.#results.set(`${result.provider}\0${result.check}`, result);
    writeAtomically(this.#part, JSON.stringify([...this.#results.values()]));
    withLock(join(this.#parts, '.lock'), () => {
      const parts: CheckResult[][] = [];
      for (const name of readdirSync(this.#parts)) {
        if (!name.endsWith('.json')) continue;
        try {
          parts.push(JSON.parse(readFileSync(join(this.#parts, name), 'utf8')) as CheckResult[]);
        } catch {
          // a part being replaced right now: its next write merges it
        }
      }
      const matrix = mergeResults(parts);
      writeAtomically(join(this.dir, 'conformance.json'), `${JSON.stringify(matrix, null, 2)}\n`);
      writeAtomically(join(this.dir, 'conformance.md'), renderMarkdown(matrix));
    });
  }
}

const reports = new Map<string, ConformanceReport>();

/** The report for `dir` (the option), else for LLM_CASSETTE_CONFORMANCE_REPORT; `undefined` without either. */
export function reportFor(dir: string | undefined): ConformanceReport | undefined {
  const target = dir ?? process.env[REPORT_ENV];
  if (!target) return undefined;
  const key = resolve(target);
  let report = reports.get(key);
  if (!report) reports.set(key, (report = new ConformanceReport(key)));
  return report;
}
