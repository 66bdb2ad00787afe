import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';
import { conformanceChecks } from '../../src/conformance/checks.js';
import { MockLLMProvider } from '../../src/protocol/mock-provider.js';
import { childEnv } from '../e2e/support/run.js';

// The auto-detecting entry must also register under Jest, from CommonJS, through Jest's globals.
// The entries are bundled to CJS (as tsup does for the package) and run by the real Jest, two
// test files in two workers writing one conformance report.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// @note jest's `exports` hide bin/jest.js; resolve the package root instead.
const jestBin = join(dirname(createRequire(join(root, 'package.json')).resolve('jest/package.json')), 'bin/jest.js');
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { fullName: string; status: string }[] }[];
}

test('describeProviderConformance registers one Jest test per check (CJS, Jest globals); the simplest mock passes without onNetwork', {
  timeout: 90_000,
}, async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassettes-jest-'));
  await build({
    entryPoints: {
      conformance: join(root, 'src/entries/conformance.ts'),
      provider: join(root, 'src/entries/provider.ts'),
    },
    outdir: dir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.cjs' },
    logLevel: 'silent',
  });
  await writeFile(
    join(dir, 'mock.test.cjs'),
    `const { describeProviderConformance } = require('./conformance.cjs');
const { MockLLMProvider } = require('./provider.cjs');
describeProviderConformance('MockLLMProvider under Jest', ({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork }), {
  capabilities: { tools: true, json: true, faults: (kind) => MockLLMProvider.failing(kind) },
});
`,
  );
  // the simplest documented use, word for word: no onNetwork wiring, no capabilities
  await writeFile(
    join(dir, 'simplest.test.cjs'),
    `const { describeProviderConformance } = require('./conformance.cjs');
const { MockLLMProvider } = require('./provider.cjs');
describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] }));
`,
  );
  await writeFile(
    join(dir, 'jest.config.cjs'),
    `module.exports = { rootDir: __dirname, testMatch: ['**/*.test.cjs'], transform: {}, testEnvironment: 'node' };\n`,
  );
  const reportDir = join(dir, 'report');
  const { stdout } = await promisify(execFile)(process.execPath, [jestBin, '--config', join(dir, 'jest.config.cjs'), '--json', '--ci', '--maxWorkers=2'], {
    cwd: dir,
    env: childEnv({ LLM_CASSETTE_CONFORMANCE_REPORT: reportDir }),
    maxBuffer: 10 * 1024 * 1024,
  });
  const report = JSON.parse(stdout) as JestReport;
  expect(report.numFailedTests).toBe(0);
  const mock = (): MockLLMProvider => new MockLLMProvider();
  const full = conformanceChecks(mock, { capabilities: { tools: true, json: true, faults: mock } });
  const simplest = conformanceChecks(mock);
  expect(full.every((check) => check.skip === undefined)).toBe(true);
  // Jest has no skip at run time: the simplest suite's declared skips are registered as skipped
  expect(report.numPassedTests).toBe(full.length + simplest.filter((c) => c.skip === undefined).length);
  expect(report.numPendingTests).toBe(simplest.filter((c) => c.skip !== undefined).length);
  const names = report.testResults.flatMap((r) => r.assertionResults.map((a) => `${a.status}: ${a.fullName}`));
  expect(names).toContain('passed: LLMProvider conformance: mock invalid requests are rejected before any network call');
  expect(names).toContain('passed: LLMProvider conformance: mock an already-aborted signal rejects with its reason and sends nothing');
  // the two files ran in their own workers and wrote one matrix
  const matrix = JSON.parse(await readFile(join(reportDir, 'conformance.json'), 'utf8')) as {
    providers: string[];
    results: Record<string, Record<string, { status: string; detail?: string }>>;
  };
  expect(matrix.providers).toEqual(['mock', 'MockLLMProvider under Jest']);
  expect(Object.values(matrix.results['MockLLMProvider under Jest']!).every((r) => r.status === 'pass')).toBe(true);
  expect(matrix.results['mock']!['tools: a forced tool call returns id, name and parsed arguments']).toEqual({
    status: 'skip',
    detail: 'capabilities.tools is not declared',
  });
  expect(await readFile(join(reportDir, 'conformance.md'), 'utf8')).toMatch(/\| invalid requests are rejected before any network call \| pass \| pass \|/);
});
