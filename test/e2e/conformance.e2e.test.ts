/**
 * End to end: a user project runs `cassettes/conformance` on its OWN provider (a small echo
 * provider built on `validateRequest` and the LLMError classes) with the PACKED package, under
 * the real Vitest (ESM test file, no `globals: true`) and the real Jest 30 (a CommonJS test file,
 * and an ES module test file under --experimental-vm-modules). One test per check must be
 * registered and pass (those that cannot apply registered as skipped, with the reason); a
 * provider whose usage does not add up must fail, naming the check; and the simplest documented
 * use, `describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] }))`,
 * passes without any onNetwork wiring.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConformanceCheck } from '../../src/entries/conformance.js';
import { conformanceChecks } from '../../src/entries/conformance.js';
import { MockLLMProvider } from '../../src/entries/provider.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv, type RunResult, runNode } from './support/run.js';

const PROJECTS = resolve(dirname(fileURLToPath(import.meta.url)), 'projects');

/** The names the suite registers for the capabilities the user files declare. */
const mock = (): MockLLMProvider => new MockLLMProvider();
/** Titles as registered: a check that cannot apply is registered skipped, its reason in the title. */
const titles = (checks: ConformanceCheck[]): string[] => checks.map((c) => (c.skip === undefined ? c.name : `${c.name} (skipped: ${c.skip})`));
const ECHO_CHECKS = conformanceChecks(mock, { capabilities: { json: true, faults: mock } });
const EXPECTED = titles(ECHO_CHECKS);
const SKIPPED = ECHO_CHECKS.filter((c) => c.skip !== undefined).length;
const EXPECTED_BASIC = titles(conformanceChecks(mock));
const skippedStatus = /^(skipped|pending)$/;
const USAGE_CHECK = 'complete() returns content, model, usage (totals add up), latency and raw';

/** The Jest-shaped JSON report both runners write (`--json` / the `json` reporter). */
interface Report {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
}

interface Outcome {
  run: RunResult;
  report: Report;
}

let vitestProject: string;
let jestProject: string;
let runs: { vitest: Promise<Outcome[]>; jest: Promise<Outcome[]> };

function readReport(project: string, file: string, run: RunResult): Report {
  const path = join(project, file);
  if (!existsSync(path)) throw new Error(`no JSON report ${file} (exit code ${run.code}):\n${run.output}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

async function vitest(file: string, report: string): Promise<Outcome> {
  const run = await runNode(
    [join(vitestProject, 'node_modules/vitest/vitest.mjs'), 'run', file, '--reporter=verbose', '--reporter=json', `--outputFile.json=${report}`],
    vitestProject,
    childEnv({}),
    45_000,
  );
  return { run, report: readReport(vitestProject, report, run) };
}

async function jest(args: string[], report: string, esm = false): Promise<Outcome> {
  const env = childEnv(esm ? { NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning' } : {});
  const run = await runNode(
    [join(jestProject, 'node_modules/jest/bin/jest.js'), '--ci', '--verbose', '--json', `--outputFile=${report}`, ...args],
    jestProject,
    env,
    45_000,
  );
  return { run, report: readReport(jestProject, report, run) };
}

beforeAll(async () => {
  const tarball = await packPackage();
  vitestProject = createProject(tarball, ['vitest']);
  jestProject = createProject(tarball, ['jest']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(join(PROJECTS, 'conformance-vitest'), vitestProject, { recursive: true });
  cpSync(join(PROJECTS, 'conformance-jest'), jestProject, { recursive: true });
  // kept out of this repo's own test glob as *.case.*
  for (const name of ['echo', 'broken', 'simplest']) renameSync(join(vitestProject, `test/${name}.case.ts`), join(vitestProject, `test/${name}.test.ts`));
  for (const name of ['echo', 'broken', 'simplest']) renameSync(join(jestProject, `test/${name}.case.js`), join(jestProject, `test/${name}.test.js`));
  renameSync(join(jestProject, 'esm/echo.case.mjs'), join(jestProject, 'esm/echo.test.mjs'));

  // two chains side by side (one per runner), each run after the other: a small machine stays
  // responsive enough for the abort checks' time limits
  const vitestChain = (async () => [
    await vitest('test/echo.test.ts', 'echo.json'),
    await vitest('test/broken.test.ts', 'broken.json'),
    await vitest('test/simplest.test.ts', 'simplest.json'),
  ])();
  const jestChain = (async () => [
    await jest(['test/echo.test.js'], 'cjs.json'),
    await jest(['--config', 'jest.esm.config.js'], 'esm.json', true),
    await jest(['test/broken.test.js'], 'broken.json'),
    await jest(['test/simplest.test.js'], 'simplest.json'),
  ])();
  runs = { vitest: vitestChain, jest: jestChain };
  // neither rejection may go unhandled while the other is awaited
  vitestChain.catch(() => undefined);
  jestChain.catch(() => undefined);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([runs?.vitest, runs?.jest]);
  for (const project of [vitestProject, jestProject]) if (project) rmSync(project, { recursive: true, force: true });
});

/** Every check registered once, as its own test under the suite's describe; all passed but the skipped ones. */
function expectAllPassed({ run, report }: Outcome, suite: string, expected = EXPECTED): void {
  if (run.code !== 0) throw new Error(`exit code ${run.code}:\n${run.output}`);
  expect(report.testResults).toHaveLength(1);
  const results = report.testResults[0]!.assertionResults;
  expect(results.map((r) => r.title)).toEqual(expected);
  for (const r of results) {
    expect(r.ancestorTitles).toEqual([`LLMProvider conformance: ${suite}`]);
    expect(r.status, `${r.title}: ${r.failureMessages.join('\n')}`).toMatch(r.title.includes('(skipped: ') ? skippedStatus : /^passed$/);
  }
  const skipped = expected.filter((t) => t.includes('(skipped: ')).length;
  expect(report.numTotalTests).toBe(expected.length);
  expect(report.numPassedTests).toBe(expected.length - skipped);
  // the runner's own console output names the checks too
  for (const name of [
    USAGE_CHECK,
    "a 'rate-limit' failure surfaces as LLM_RATE_LIMIT from complete() and stream()",
    'json: responseFormat json returns parseable JSON (with and without a schema)',
  ]) {
    expect(run.output).toContain(name);
  }
}

/** The run failed, and the failing check is the usage one, with the reason spelled out. */
function expectUsageFailure({ run, report }: Outcome): void {
  expect(run.code, run.output).not.toBe(0);
  const results = report.testResults[0]!.assertionResults;
  expect(results.map((r) => r.title)).toEqual(EXPECTED_BASIC);
  const usage = results.find((r) => r.title === USAGE_CHECK)!;
  expect(usage.status).toBe('failed');
  expect(usage.failureMessages.join('\n')).toMatch(/usage\.totalTokens \(\d+\) must equal inputTokens \+ outputTokens/);
  // checks that never look at usage still pass: the failure is pinned on the contract clause
  expect(results.find((r) => r.title === 'invalid requests are rejected with LLMRequestError naming the field')?.status).toBe('passed');
  expect(report.numFailedTests).toBeGreaterThan(0);
  expect(run.output).toContain(USAGE_CHECK);
  expect(run.output).toContain('must equal inputTokens + outputTokens');
}

test('the suite has the checks to register, and says which cannot apply', () => {
  expect(EXPECTED_BASIC.length).toBe(EXPECTED.length);
  expect(EXPECTED.filter((t) => !t.includes('(skipped: ')).length).toBeGreaterThanOrEqual(EXPECTED_BASIC.filter((t) => !t.includes('(skipped: ')).length + 7); // six fault kinds and json
  expect(SKIPPED).toBe(3); // the echo provider has no tools
  expect(EXPECTED).toContain(USAGE_CHECK);
});

/** The simplest documented use passes: every check that applies, and the network is watched by the interceptor. */
function expectSimplestPassed(outcome: Outcome): void {
  expectAllPassed(outcome, 'mock', EXPECTED_BASIC);
  const results = outcome.report.testResults[0]!.assertionResults;
  expect(results.find((r) => r.title === 'invalid requests are rejected before any network call')?.status).toBe('passed');
}

describe('vitest', () => {
  test('an ESM test file without globals: true registers one passing test per check', { timeout: 60_000 }, async () => {
    const [echo] = await runs.vitest;
    expectAllPassed(echo!, 'echo (vitest, esm)');
    const passed = EXPECTED.length - SKIPPED;
    expect(echo!.run.output).toMatch(new RegExp(`Tests\\s+${passed} passed \\| ${SKIPPED} skipped \\(${EXPECTED.length}\\)`));
  });

  test('a provider whose usage does not add up fails the run, naming the check', { timeout: 60_000 }, async () => {
    const [, broken] = await runs.vitest;
    expectUsageFailure(broken!);
  });

  test("describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] })) passes without onNetwork", { timeout: 60_000 }, async () => {
    const [, , simplest] = await runs.vitest;
    expectSimplestPassed(simplest!);
  });
});

describe('jest', () => {
  test('a CommonJS test file registers one passing test per check', { timeout: 60_000 }, async () => {
    const [cjs] = await runs.jest;
    expectAllPassed(cjs!, 'echo (jest, cjs)');
    expect(cjs!.run.output).toMatch(new RegExp(`Tests:\\s+${SKIPPED} skipped, ${EXPECTED.length - SKIPPED} passed, ${EXPECTED.length} total`));
  });

  test('an ES module test file (--experimental-vm-modules) registers one passing test per check', { timeout: 60_000 }, async () => {
    const [, esm] = await runs.jest;
    expectAllPassed(esm!, 'echo (jest, esm)');
  });

  test('a provider whose usage does not add up fails the run, naming the check', { timeout: 60_000 }, async () => {
    const [, , broken] = await runs.jest;
    expectUsageFailure(broken!);
  });

  test("describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] })) passes without onNetwork", { timeout: 60_000 }, async () => {
    const [, , , simplest] = await runs.jest;
    expectSimplestPassed(simplest!);
  });
});
