import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';
import { conformanceChecks } from '../../src/conformance/checks.js';
import { MockLLMProvider } from '../../src/protocol/mock-provider.js';

// The auto-detecting entry must also register under Jest, from CommonJS, through Jest's globals.
// The entries are bundled to CJS (as tsup does for the package) and run by the real Jest.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// @note jest's `exports` hide bin/jest.js; resolve the package root instead.
const jestBin = join(dirname(createRequire(join(root, 'package.json')).resolve('jest/package.json')), 'bin/jest.js');
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('describeProviderConformance registers one Jest test per check (CJS, Jest globals)', { timeout: 60_000 }, async () => {
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
  capabilities: { tools: true, json: true, faults: (kind) => new MockLLMProvider().injectFault(kind, { times: 10 }) },
});
`,
  );
  await writeFile(
    join(dir, 'jest.config.cjs'),
    `module.exports = { rootDir: __dirname, testMatch: ['**/*.test.cjs'], transform: {}, testEnvironment: 'node' };\n`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [jestBin, '--config', join(dir, 'jest.config.cjs'), '--json', '--ci'], {
    cwd: dir,
    maxBuffer: 10 * 1024 * 1024,
  });
  const report = JSON.parse(stdout) as { numPassedTests: number; numFailedTests: number; testResults: { assertionResults: { fullName: string }[] }[] };
  expect(report.numFailedTests).toBe(0);
  const mock = (): MockLLMProvider => new MockLLMProvider();
  const expected = conformanceChecks(mock, { capabilities: { tools: true, json: true, faults: mock } }).length;
  expect(expected).toBeGreaterThan(19);
  expect(report.numPassedTests).toBe(expected);
  expect(report.testResults[0]!.assertionResults.map((r) => r.fullName)).toContain(
    'LLMProvider conformance: MockLLMProvider under Jest invalid requests are rejected before any network call',
  );
});
