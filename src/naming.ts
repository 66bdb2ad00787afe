import { basename, extname, isAbsolute, relative } from 'node:path';
import type { RecordedBy } from './types.js';

/** Set by the Vitest setup so a nameless withCassette knows the running test. */
export const CURRENT_TEST = Symbol.for('cassettes.current-test');
/** Set by both runner setups: the running test, for attributing recordings (no counting). */
export const RUNNING_TEST = Symbol.for('cassettes.running-test');
/** Set by the Jest setup: the running test file, when `.only` in it left tests out. */
export const FOCUSED_FILE = Symbol.for('cassettes.focused-file');

/**
 * The running test file when `.only` in it left tests out, so the run's report is a filtered one.
 * @note Jest only: its global setup never sees results, so the worker says it; Vitest's main
 * process sees every file's `.only` itself (vitest-plugin.ts).
 */
export function focusedTestFile(): string | undefined {
  return (globalThis as Record<symbol, (() => string | undefined) | undefined>)[FOCUSED_FILE]?.();
}

export interface TestIdentity {
  /** Absolute path of the test file. */
  file: string;
  /** Describe blocks and the test title. */
  titles: string[];
}

interface ExpectLike {
  getState?: () => { currentTestName?: string; testPath?: string };
}

/** The running test, from Vitest's setup hook or Jest's `expect.getState()`. */
export function currentTest(): TestIdentity | undefined {
  const fromHook = (globalThis as Record<symbol, (() => TestIdentity | undefined) | undefined>)[CURRENT_TEST]?.();
  if (fromHook) return fromHook;
  const expectGlobal = (globalThis as { expect?: ExpectLike }).expect;
  const state = expectGlobal?.getState?.();
  if (state?.testPath && state.currentTestName) return { file: state.testPath, titles: [state.currentTestName] };
  return undefined;
}

/**
 * `<test file>/<describe> <test>`: readable, stable, safe on every file system. The test file is
 * its path from the working directory without its last extension, so `a/index.test.ts` and
 * `b/index.test.ts` never share a folder.
 */
export function cassetteNameFor(test: TestIdentity, cwd: string = process.cwd()): string {
  let rel = relative(cwd, test.file);
  if (rel.startsWith('..') || isAbsolute(rel)) rel = basename(rel);
  const withoutExt = rel.slice(0, rel.length - extname(rel).length);
  const folder = withoutExt
    .split(/[\\/]+/)
    .filter(Boolean)
    .map(sanitise)
    .join('/');
  return `${folder}/${sanitise(test.titles.join(' '))}`;
}

export function sanitise(part: string): string {
  const cleaned = part
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what file names must not hold
    .replace(/[<>:"/\\|?*\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s-]+|[.\s]+$/g, '')
    .slice(0, 120);
  return cleaned || 'unnamed';
}

/** The running test as recordings name it: its file from the working directory, and its full title. */
export function runningTest(cwd: string = process.cwd()): RecordedBy | undefined {
  const hook = (globalThis as Record<symbol, (() => { file: string; title: string } | undefined) | undefined>)[RUNNING_TEST];
  let run = hook?.();
  if (!run) {
    const state = (globalThis as { expect?: ExpectLike }).expect?.getState?.();
    if (state?.testPath && state.currentTestName) run = { file: state.testPath, title: state.currentTestName };
  }
  if (!run) return undefined;
  const rel = relative(cwd, run.file);
  return { file: rel.startsWith('..') || isAbsolute(rel) ? run.file : rel.split(/[\\/]+/).join('/'), name: run.title };
}
