/**
 * Every SDK in every runner, for real: the PACKED package in a throwaway project, the real
 * openai, @anthropic-ai/sdk, @google/genai, global fetch, the undici package's request and fetch,
 * and node:https, each plain and streamed, under Vitest, Jest (CommonJS) and Jest (ES modules,
 * --experimental-vm-modules). One runner invocation per runner and phase: record with the server
 * up, then replay with CI=true and the server gone.
 *
 * The same invocations run the canary: every client kind that could slip past interception —
 * its own undici Agent, Pool, Client or ProxyAgent, an SDK's fetchOptions.dispatcher, node:http2 —
 * inside a cassette, and in the replay-only run every kind outside any cassette, aimed at a
 * server that counts TCP connections. The count stays 0.
 */
import { cpSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CountingServer, startCountingServer, TEST_CA } from '../support/counting-server.js';
import { type MatrixServer, startMatrixServer } from './support/matrix-server.js';
import { createProject, packPackage } from './support/packed.js';
import { cassetteNames, childEnv, type RunResult, runNode, snapshotCassettes } from './support/run.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/matrix');
const RUNNERS = ['vitest', 'jest-cjs', 'jest-esm'] as const;
type Runner = (typeof RUNNERS)[number];
const CLIENTS = ['openai', 'anthropic', 'gemini', 'global fetch', 'undici request', 'undici fetch', 'node:https'];
const CELLS = CLIENTS.flatMap((client) => [`${client} plain`, `${client} streamed`]);
/** Client kinds the canary aims outside any cassette (the matrix's, and the bypassing ones). */
const BYPASSING = 8;

let matrix: MatrixServer;
let canary: CountingServer;
let project: string;

beforeAll(async () => {
  const [tarball, server, counting] = await Promise.all([packPackage(), startMatrixServer(), startCountingServer()]);
  matrix = server;
  canary = counting;
  project = createProject(tarball, ['vitest', 'jest', 'openai', '@anthropic-ai/sdk', '@google/genai', 'undici']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(TEMPLATE, project, { recursive: true });
  // kept out of this repo's own test glob as *.case.*
  renameSync(join(project, 'vitest/matrix.case.mjs'), join(project, 'vitest/matrix.test.mjs'));
  renameSync(join(project, 'jest/matrix.case.js'), join(project, 'jest/matrix.test.js'));
  renameSync(join(project, 'esm/matrix.case.mjs'), join(project, 'esm/matrix.test.mjs'));
}, 120_000);

afterAll(async () => {
  await Promise.all([matrix?.stop(), canary?.close()]);
  if (project) rmSync(project, { recursive: true, force: true });
});

interface Report {
  testResults: { assertionResults: { title: string; status: string; failureMessages?: string[] }[] }[];
}

/** Runs one runner over all its cells; returns each test's status by title. */
async function run(runner: Runner, ci: boolean): Promise<{ run: RunResult; statuses: Map<string, string> }> {
  const report = join(project, `report-${runner}.json`);
  rmSync(report, { force: true });
  rmSync(join(project, '.jest-cache'), { recursive: true, force: true });
  const env = childEnv({
    CI: ci ? 'true' : undefined,
    E2E_MATRIX_URL: matrix.url,
    E2E_MATRIX_TLS_URL: matrix.tlsUrl,
    E2E_CANARY_URL: canary.url,
    E2E_CANARY_H2_URL: canary.h2url,
    E2E_CANARY_TLS_URL: canary.tlsUrl,
    // the recording of node:https goes out through Node's own undici, which must trust the test CA
    NODE_EXTRA_CA_CERTS: TEST_CA,
    NODE_OPTIONS: runner === 'jest-esm' ? '--experimental-vm-modules --no-warnings=ExperimentalWarning' : undefined,
  });
  const args =
    runner === 'vitest'
      ? [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
      : [
          join(project, 'node_modules/jest/bin/jest.js'),
          ...(runner === 'jest-esm' ? ['--config', 'jest.esm.config.js'] : []),
          '--json',
          `--outputFile=${report}`,
        ];
  const result = await runNode(args, project, env, 90_000);
  let parsed: Report;
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as Report;
  } catch {
    throw new Error(`${runner} wrote no report (exit ${result.code}):\n${result.output}`);
  }
  const statuses = new Map<string, string>();
  for (const file of parsed.testResults) for (const t of file.assertionResults) statuses.set(t.title, t.status);
  return { run: result, statuses };
}

/** Every matrix cell and canary test passed (the canary's outside tests run in CI only). */
function expectAllPassed(runner: Runner, outcome: { run: RunResult; statuses: Map<string, string> }, ci: boolean): void {
  const failed = [...outcome.statuses].filter(([, status]) => status !== 'passed' && status !== 'pending' && status !== 'skipped');
  if (failed.length > 0 || outcome.run.code !== 0) throw new Error(`${runner}: ${failed.map(([t]) => t).join(', ')}\n${outcome.run.output}`);
  const passed = (prefix: string): number => [...outcome.statuses].filter(([title, status]) => title.startsWith(prefix) && status === 'passed').length;
  expect(CELLS.map((cell) => outcome.statuses.get(`matrix: ${cell}`))).toEqual(CELLS.map(() => 'passed'));
  expect(passed('canary:') - (ci ? CLIENTS.length + BYPASSING : 0)).toBe(BYPASSING);
}

describe('every SDK in every runner, recorded then replayed with the server gone', () => {
  let recorded: Map<string, string>;

  test.each(RUNNERS)(
    'record under %s: all 14 cells pass and reach the server once each; the canary counts 0 connections',
    { timeout: 120_000 },
    async (runner) => {
      const before = matrix.prompts.length;
      const outcome = await run(runner, false);
      expectAllPassed(runner, outcome, false);
      expect(matrix.prompts.slice(before).sort()).toEqual(CELLS.map((cell) => `${runner} ${cell}`).sort());
      expect([canary.connections(), canary.requests()]).toEqual([0, 0]);
    },
  );

  test('the cassettes hold one interaction per cell', () => {
    const names = cassetteNames(project).filter((name) => name.startsWith('matrix/'));
    expect(names).toEqual(RUNNERS.flatMap((runner) => CELLS.map((cell) => `matrix/${runner}/${cell}.yaml`)).sort());
    for (const name of names) {
      const text = readFileSync(join(project, '__cassettes__', name), 'utf8');
      // the cell's own prompt (`<runner> <cell>`), in the one recorded request
      expect(text).toContain(name.slice('matrix/'.length, -'.yaml'.length).replace('/', ' '));
      expect(text.match(/^ {2}- key:/gm)).toHaveLength(1);
    }
    recorded = snapshotCassettes(project);
  });

  test.each(RUNNERS)(
    'replay under %s with CI=true and the server gone: all 14 cells pass; every client kind is stopped; 0 connections',
    { timeout: 120_000 },
    async (runner) => {
      await matrix.stop();
      const outcome = await run(runner, true);
      expectAllPassed(runner, outcome, true);
      expect([canary.connections(), canary.requests()]).toEqual([0, 0]);
      expect(snapshotCassettes(project)).toEqual(recorded);
    },
  );
});
