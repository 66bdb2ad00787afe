/**
 * One named cassette recorded by several test files at once, under the real Vitest and the real
 * Jest with their workers (separate processes): the PACKED package in a throwaway project, a
 * synthetic chat-completions server on 127.0.0.1. Every interaction every worker recorded must be
 * in the file, which must be valid and must then replay with the server down.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette } from '../../src/cassette/codec.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv, readRuns, runNode } from './support/run.js';

const FILES = 4;
const TESTS = 6;

let server: ChatServer;
let tarball: string;

beforeAll(async () => {
  [tarball, server] = await Promise.all([packPackage(), startChatServer()]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

const ASK = `
async function ask(content) {
  const response = await fetch(process.env.E2E_BASE_URL + '/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-e2e', messages: [{ role: 'user', content }] }),
  });
  return (await response.json()).choices[0].message.content;
}
`;

/** A test file: TESTS tests, each recording two distinct requests into the cassette `shared`. */
function testFile(file: number, header: string): string {
  return `${header}
${ASK}
appendFileSync('runs.jsonl', JSON.stringify({ file: 'f${file}', pid: process.pid, flag: null }) + '\\n');
for (let t = 0; t < ${TESTS}; t++) {
  test('records call ' + t, async () => {
    const said = await withCassette('shared', async () => [await ask('file ${file} test ' + t + ' a'), await ask('file ${file} test ' + t + ' b')]);
    expect(said).toEqual(['echo: file ${file} test ' + t + ' a', 'echo: file ${file} test ' + t + ' b']);
  });
}
`;
}

const RUNNERS = {
  vitest: {
    tools: ['vitest'],
    files: {
      'package.json': JSON.stringify({ name: 'cassettes-e2e-shared-vitest', private: true, version: '1.0.0' }),
      'vitest.config.ts': `import { cassettes } from 'cassettes/vitest';
import { defineConfig } from 'vitest/config';
// e2e only: as many workers as files, even on a small machine
export default defineConfig({ plugins: [cassettes()], test: { include: ['test/**/*.test.ts'], maxWorkers: ${FILES}, pool: 'forks' } });
`,
    },
    header: `import { appendFileSync } from 'node:fs';
import { withCassette } from 'cassettes';
import { expect, test } from 'vitest';`,
    extension: 'ts',
    // the default mode (once, CI unset): the run that creates the cassette records what every test misses
    record: ['node_modules/vitest/vitest.mjs', 'run'],
    replay: ['node_modules/vitest/vitest.mjs', 'run'],
    passed: new RegExp(`Tests\\s+${FILES * TESTS} passed`),
  },
  jest: {
    tools: ['jest'],
    files: {
      'package.json': JSON.stringify({ name: 'cassettes-e2e-shared-jest', private: true, version: '1.0.0' }),
      'jest.config.js': `const { join } = require('node:path');
module.exports = {
  globalSetup: 'cassettes/jest/global-setup',
  setupFiles: ['cassettes/jest/setup'],
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // e2e only: as many workers as files, even on a small machine
  maxWorkers: ${FILES},
  cacheDirectory: join(__dirname, '.jest-cache'),
  watchman: false,
};
`,
    },
    header: `const { appendFileSync } = require('node:fs');
const { withCassette } = require('cassettes');`,
    extension: 'js',
    record: ['node_modules/jest/bin/jest.js'],
    replay: ['node_modules/jest/bin/jest.js'],
    passed: new RegExp(`Tests:\\s+${FILES * TESTS} passed`),
  },
} as const;

describe.each(Object.keys(RUNNERS) as (keyof typeof RUNNERS)[])('%s workers sharing one cassette', (runner) => {
  const setup = RUNNERS[runner];
  let project: string;

  beforeAll(() => {
    project = createProject(tarball, [...setup.tools]);
    for (const [name, text] of Object.entries(setup.files)) writeFileSync(join(project, name), text);
    mkdirSync(join(project, 'test'));
    for (let f = 0; f < FILES; f++) writeFileSync(join(project, `test/f${f}.test.${setup.extension}`), testFile(f, setup.header));
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test(`${FILES} files × ${TESTS} tests sharing a named cassette record at once under the default mode (once): 0 lost, the file valid; a later run replays offline, with and without CI`, {
    timeout: 90_000,
  }, async () => {
    await server.start().catch(() => undefined);
    const before = server.prompts.length;
    const env = childEnv({ CI: undefined, E2E_BASE_URL: server.baseURL });
    const recording = await runNode([...setup.record], project, env, 60_000);
    if (recording.code !== 0) throw new Error(`exit code ${recording.code}:\n${recording.output}`);
    expect(recording.output).toMatch(setup.passed);
    // the files ran in workers: more than one process, none of them the runner's main one
    const pids = new Set(readRuns(project).map((r) => r.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.has(recording.pid)).toBe(false);

    const expected = Array.from({ length: FILES }, (_, f) =>
      Array.from({ length: TESTS }, (_, t) => [`file ${f} test ${t} a`, `file ${f} test ${t} b`]).flat(),
    ).flat();
    expect(server.prompts.slice(before).sort()).toEqual([...expected].sort());
    const file = join(project, '__cassettes__', 'shared.yaml');
    const data = decodeCassette(readFileSync(file, 'utf8'), file);
    const prompts = httpInteractions(data).map((i) => (i.request.body as { json: { messages: { content: string }[] } }).json.messages[0]!.content);
    const lost = expected.filter((p) => !prompts.includes(p));
    console.info(`${runner} workers: ${expected.length} interactions recorded by ${pids.size} workers into one cassette, ${lost.length} lost`);
    expect(lost).toEqual([]);
    expect(prompts).toHaveLength(expected.length);
    expect(readdirSync(join(project, '__cassettes__'))).toEqual(['shared.yaml']);
    expect(existsSync(`${file}.lock`)).toBe(false);

    await server.stop();
    const replay = await runNode([...setup.replay], project, childEnv({ CI: 'true', E2E_BASE_URL: server.baseURL }), 60_000);
    if (replay.code !== 0) throw new Error(`replay: exit code ${replay.code}:\n${replay.output}`);
    expect(replay.output).toMatch(setup.passed);
    // a later run in the default mode (once, CI unset) finds the cassette from an earlier run: it replays, the provider gone
    const later = await runNode([...setup.replay], project, childEnv({ CI: undefined, E2E_BASE_URL: server.baseURL }), 60_000);
    if (later.code !== 0) throw new Error(`later run: exit code ${later.code}:\n${later.output}`);
    expect(later.output).toMatch(setup.passed);
  });
});
