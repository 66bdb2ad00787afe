import { assignTitles, type TestRun, titleOf } from './test-names.js';

/** jest-circus' test and describe entries, as far as we read them. */
interface CircusBlock {
  type?: string;
  name: string;
  parent?: CircusBlock | undefined;
  children?: CircusNode[];
}
interface CircusTest {
  type: 'test';
  name: string;
  parent?: CircusBlock | undefined;
  invocations?: number;
}
type CircusNode = CircusBlock | CircusTest;

interface ExpectState {
  testPath?: string;
  currentTestName?: string;
  /** Jest ≥ 29.6: the test owning the current async context (right under test.concurrent). */
  currentConcurrentTestName?: () => string | undefined;
  /** Jest ≥ 30.x: that test's circus entry, which tells tests with equal names apart. */
  currentTestIdentity?: () => unknown;
}

function titlesOf(test: CircusNode): string[] {
  const titles: string[] = [];
  // the root describe block (no parent) has a synthetic name
  for (let node: CircusNode | undefined = test; node?.parent; node = node.parent) titles.unshift(node.name);
  return titles;
}

function testsOf(block: CircusBlock, out: CircusTest[] = []): CircusTest[] {
  for (const child of block.children ?? []) {
    if (child.type === 'test') out.push(child as CircusTest);
    else testsOf(child as CircusBlock, out);
  }
  return out;
}

const assigned = new WeakMap<CircusBlock, Map<CircusTest, string>>();

function uniqueTitle(test: CircusTest): string {
  let root: CircusBlock | undefined = test.parent;
  while (root?.parent) root = root.parent;
  if (!root) return titleOf(titlesOf(test));
  let titles = assigned.get(root);
  if (!titles?.has(test)) {
    const tests = testsOf(root);
    const unique = assignTitles(tests.map(titlesOf));
    titles = new Map(tests.map((t, i) => [t, unique[i]!]));
    assigned.set(root, titles);
  }
  return titles.get(test) ?? titleOf(titlesOf(test));
}

const byName = new Map<string, object>();

/** The running Jest test, from `expect.getState()` of this test file's realm. */
export function jestRun(): TestRun | undefined {
  const expectGlobal = (globalThis as { expect?: { getState?: () => ExpectState } }).expect;
  const state = expectGlobal?.getState?.();
  const file = state?.testPath;
  if (!state || !file) return undefined;
  const entry = state.currentTestIdentity?.() as CircusTest | undefined;
  if (entry && entry.type === 'test' && typeof entry.name === 'string') {
    return { file, title: uniqueTitle(entry), key: entry, attempt: String(entry.invocations ?? 0) };
  }
  const name = state.currentConcurrentTestName?.() ?? state.currentTestName;
  if (!name) return undefined;
  const id = `${file}\0${name}`;
  let key = byName.get(id);
  if (!key) byName.set(id, (key = {}));
  return { file, title: titleOf([name]), key, attempt: '' };
}

/**
 * The running test file, when `.only` in it made jest-circus skip the rest of it.
 * @note circus keeps its run state on the test file's global under `Symbol('JEST_STATE_SYMBOL')`,
 * which it does not export; `hasFocusedTests` is set while the file's tests are collected. No
 * such state (another test runner inside Jest): no answer, as before.
 */
export function jestFocusedFile(): string | undefined {
  const file = (globalThis as { expect?: { getState?: () => ExpectState } }).expect?.getState?.()?.testPath;
  if (!file) return undefined;
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  const state = symbol ? ((globalThis as Record<symbol, unknown>)[symbol] as { hasFocusedTests?: unknown } | undefined) : undefined;
  return state?.hasFocusedTests === true ? file : undefined;
}
