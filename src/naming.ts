import { basename, extname, relative } from 'node:path';

/** Set by the Vitest setup so a nameless withCassette knows the running test. */
export const CURRENT_TEST = Symbol.for('llm-cassette.current-test');

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

/** `<test file>/<describe> <test>`: readable, stable, safe on every file system. */
export function cassetteNameFor(test: TestIdentity, cwd: string = process.cwd()): string {
  const rel = relative(cwd, test.file);
  const fileName = basename(rel, extname(rel));
  return `${sanitise(fileName)}/${sanitise(test.titles.join(' '))}`;
}

export function sanitise(part: string): string {
  const cleaned = part
    .replace(/[<>:"/\\|?*\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s-]+|[.\s]+$/g, '')
    .slice(0, 120);
  return cleaned || 'unnamed';
}
