/**
 * A new user's first ten minutes, on the PACKED package: the README's quick start in a fresh
 * project (`npm init -y`, so CommonJS), in Vitest and in Jest, with the three official SDKs built
 * with no options. Record with keys against a local provider on 127.0.0.1; then replay under
 * CI=true with no key in the environment and the provider gone; no warning printed.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWireServer, type WireServer } from '../protocol/support/wire-server.js';
import { createProject, packPackage } from './support/packed.js';
import { cassetteNames, childEnv, promptsIn, type RunResult, runNode } from './support/run.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/quickstart');
const SDKS = ['openai', '@anthropic-ai/sdk', '@google/genai'];
const CASSETTES = ['haiku/anthropic.yaml', 'haiku/gemini.yaml', 'haiku/openai.yaml', 'shared/two-tests.yaml'];

let server: WireServer;
let tarball: string;

beforeAll(async () => {
  [tarball, server] = await Promise.all([packPackage(), startWireServer(() => 'An old silent pond')]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

/** What `npm init -y` writes today (npm 11): a CommonJS package. */
function npmInit(project: string): void {
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'quickstart', version: '1.0.0', type: 'commonjs', main: 'index.js' }, null, 2)}\n`);
}

/** The environment of each step: keys only while recording; base URLs always (the provider is gone when replaying). */
function envFor(step: 'record' | 'replay'): NodeJS.ProcessEnv {
  const keys = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'];
  const extra: Record<string, string | undefined> = {
    OPENAI_BASE_URL: `${server.origin}/v1`,
    ANTHROPIC_BASE_URL: server.origin,
    GOOGLE_GEMINI_BASE_URL: server.origin,
    CI: step === 'replay' ? 'true' : undefined,
  };
  // recording as a user would: one key per provider (@google/genai warns when both of its are set)
  for (const key of keys) extra[key] = step === 'record' && key !== 'GOOGLE_API_KEY' ? `${key.toLowerCase()}-local-0123456789` : undefined;
  return childEnv(extra);
}

/** No line of the run's output warns: neither ours, nor an SDK's, nor the runner's. */
function expectNoWarning(run: RunResult): void {
  const warnings = run.output.split('\n').filter((line) => /warn|deprecat|ESM syntax/i.test(line));
  if (warnings.length > 0) console.log(run.output);
  expect(warnings).toEqual([]);
}

function expectPassed(run: RunResult, tests: number): void {
  if (run.code !== 0) throw new Error(`exit code ${run.code}:\n${run.output}`);
  expect(run.output).toMatch(new RegExp(`Tests:?\\s+${tests} passed`));
}

describe.each(['vitest', 'jest'] as const)('first use with %s', (runner) => {
  let project: string;
  const run = (step: 'record' | 'replay'): Promise<RunResult> =>
    runner === 'vitest'
      ? runNode([join(project, 'node_modules/vitest/vitest.mjs'), 'run'], project, envFor(step), 60_000)
      : runNode([join(project, 'node_modules/jest/bin/jest.js'), '--ci'], project, envFor(step), 60_000);

  beforeAll(() => {
    project = createProject(tarball, [runner, ...SDKS]);
    npmInit(project);
    mkdirSync(join(project, 'test'));
    if (runner === 'vitest') {
      // the README's vitest.config.mts
      writeFileSync(
        join(project, 'vitest.config.mts'),
        "import { defineConfig } from 'vitest/config';\nimport { cassettes } from 'cassettes/vitest';\n\nexport default defineConfig({ plugins: [cassettes()] });\n",
      );
      cpSync(join(TEMPLATE, 'haiku.case.ts'), join(project, 'test/haiku.test.ts'));
    } else {
      // the README's jest.config.js
      writeFileSync(
        join(project, 'jest.config.js'),
        "module.exports = {\n  globalSetup: 'cassettes/jest/global-setup',\n  setupFiles: ['cassettes/jest/setup'],\n};\n",
      );
      cpSync(join(TEMPLATE, 'haiku.case.js'), join(project, 'test/haiku.test.js'));
    }
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test('records on the first run, with no warning', { timeout: 90_000 }, async () => {
    const before = server.requests.length;
    const recorded = await run('record');
    expectPassed(recorded, 5);
    expectNoWarning(recorded);
    expect(server.requests.length - before).toBe(5);
    expect(cassetteNames(project)).toEqual(CASSETTES);
    // two tests that share a named cassette both recorded into it on the run that created it
    expect(promptsIn(project, 'shared/two-tests.yaml')).toEqual(['first test', 'second test']);
  });

  test('replays under CI=true with no key set and the provider unreachable, with no warning', { timeout: 90_000 }, async () => {
    const before = server.requests.length;
    const replayed = await run('replay');
    expectPassed(replayed, 5);
    expectNoWarning(replayed);
    expect(server.requests.length).toBe(before);
    expect(readdirSync(join(project, '__cassettes__/haiku')).sort()).toEqual(['anthropic.yaml', 'gemini.yaml', 'openai.yaml']);
  });
});
