/**
 * End to end under the real Vitest: the PACKED package in a throwaway project, the real openai
 * SDK against a synthetic chat-completions server on 127.0.0.1, the commands the README gives.
 */
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { createProject, packPackage } from './support/packed.js';
import { cassetteNames, childEnv, promptsIn, type RunResult, readCassette, readRuns, runNode, snapshotCassettes } from './support/run.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/vitest');

const EXPECTED = [
  'errors/known.yaml',
  'greetings/explicit.yaml',
  'plain/script.yaml',
  'test/chat.test/chat keeps a conversation.yaml',
  'test/chat.test/chat nameless concurrent a.yaml',
  'test/chat.test/chat nameless concurrent b.yaml',
  'test/chat.test/chat odd- title-with-chars.yaml',
  'test/chat.test/chat same title (2).yaml',
  'test/chat.test/chat same title.yaml',
  'test/chat.test/chat says hello.yaml',
  'test/chat.test/chat streams a reply.yaml',
  'test/chat.test/chat uses two cassettes #2.yaml',
  'test/chat.test/chat uses two cassettes.yaml',
  'test/chat.test/fixture concurrent c.yaml',
  'test/chat.test/fixture concurrent d.yaml',
  'test/chat.test/fixture names the cassette.yaml',
  'test/other.test/answers from another file.yaml',
  'test/other.test/is retried.yaml',
  'test/other.test/posts with node-http.yaml',
];

let server: ChatServer;
let project: string;

beforeAll(async () => {
  const [tarball, chat] = await Promise.all([packPackage(), startChatServer()]);
  server = chat;
  project = createProject(tarball, ['vitest', 'openai']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(TEMPLATE, project, { recursive: true });
  // kept out of this repo's own test glob as *.case.ts
  for (const name of ['chat', 'other']) renameSync(join(project, `test/${name}.case.ts`), join(project, `test/${name}.test.ts`));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** `vitest <args>` in the project; `ci` decides the default mode (none under CI, else once). */
async function vitest(args: string[], ci: boolean): Promise<RunResult> {
  rmSync(join(project, 'runs.jsonl'), { force: true });
  const env = childEnv({ CI: ci ? 'true' : undefined, E2E_BASE_URL: server.baseURL });
  return runNode([join(project, 'node_modules/vitest/vitest.mjs'), ...args], project, env);
}

async function plainScript(args: string[], ci: boolean): Promise<RunResult> {
  const env = childEnv({ CI: ci ? 'true' : undefined, E2E_BASE_URL: server.baseURL });
  return runNode([join(project, 'scripts/plain.mjs'), ...args], project, env);
}

function expectPassed(run: RunResult): void {
  if (run.code !== 0) throw new Error(`exit code ${run.code}:\n${run.output}`);
  expect(run.output).toMatch(/Test Files\s+2 passed \(2\)/);
}

/** Both test files ran, in workers (not the main process), seeing this record flag. */
function expectWorkers(run: RunResult, flag: string | null): void {
  const runs = readRuns(project);
  expect(runs.map((r) => r.file).sort()).toEqual(['chat', 'other']);
  for (const r of runs) {
    expect(r.pid).not.toBe(run.pid);
    expect(r.flag).toBe(flag);
  }
}

describe('vitest: plugins: [cassettes()]', () => {
  let recorded: Map<string, string>;

  test('1. records on the first run (CI unset: once), auto-named and explicit cassettes', { timeout: 30_000 }, async () => {
    const run = await vitest(['run'], false);
    expectPassed(run);
    expectWorkers(run, null);
    const script = await plainScript([], false);
    expect(script.output, script.output).toContain('plain: echo: from a script');

    expect(cassetteNames(project)).toEqual(EXPECTED);
    expect(promptsIn(project, 'test/chat.test/chat keeps a conversation.yaml')).toEqual(['first', 'second']);
    expect(promptsIn(project, 'test/chat.test/chat uses two cassettes.yaml')).toEqual(['one']);
    expect(promptsIn(project, 'test/chat.test/chat uses two cassettes #2.yaml')).toEqual(['two']);
    expect(promptsIn(project, 'test/chat.test/chat same title.yaml')).toEqual(['duplicate 1']);
    expect(promptsIn(project, 'test/chat.test/chat same title (2).yaml')).toEqual(['duplicate 2']);
    expect(promptsIn(project, 'test/chat.test/chat nameless concurrent a.yaml')).toEqual(['concurrent a']);
    expect(promptsIn(project, 'test/chat.test/chat nameless concurrent b.yaml')).toEqual(['concurrent b']);
    expect(promptsIn(project, 'test/chat.test/fixture concurrent c.yaml')).toEqual(['concurrent c']);
    expect(promptsIn(project, 'test/chat.test/fixture concurrent d.yaml')).toEqual(['concurrent d']);
    expect(promptsIn(project, 'test/other.test/posts with node-http.yaml')).toEqual(['over http']);
    expect(promptsIn(project, 'test/other.test/is retried.yaml')).toEqual(['retry']);
    expect(readCassette(project, 'test/chat.test/chat streams a reply.yaml').interactions[0]?.request.body?.json?.stream).toBe(true);
    // every call reached the server exactly once; the refused one never did
    expect(server.prompts.length).toBe(20);
    expect(server.prompts).not.toContain('unknown');
    recorded = snapshotCassettes(project);
  });

  test('2. replays with CI=true (mode none) while the server is down', { timeout: 30_000 }, async () => {
    await server.stop();
    const run = await vitest(['run'], true);
    expectPassed(run);
    expectWorkers(run, null);
    const script = await plainScript([], true);
    expect(script.output, script.output).toContain('plain: echo: from a script');
    expect(snapshotCassettes(project)).toEqual(recorded);
  });

  test('2b. the same replay with an ES module vitest.config.ts ("type": "module")', { timeout: 30_000 }, async () => {
    const manifest = join(project, 'package.json');
    const original = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(original), type: 'module' }));
    try {
      const run = await vitest(['run'], true);
      expectPassed(run);
    } finally {
      writeFileSync(manifest, original);
    }
    expect(snapshotCassettes(project)).toEqual(recorded);
  });

  test('3. `vitest run -- --record=new` records only the new call', { timeout: 30_000 }, async () => {
    await server.start();
    const before = server.prompts.length;
    const file = join(project, 'test/chat.test.ts');
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('// e2e: step 3 adds a call here');
    writeFileSync(file, source.replace('// e2e: step 3 adds a call here', "said.push(await ask('third'));"));

    const run = await vitest(['run', '--', '--record=new'], false);
    expectPassed(run);
    expectWorkers(run, 'new');
    expect(server.prompts.slice(before)).toEqual(['third']);

    const conversation = 'test/chat.test/chat keeps a conversation.yaml';
    expect(promptsIn(project, conversation)).toEqual(['first', 'second', 'third']);
    expect(readCassette(project, conversation).interactions.slice(0, 2)).toEqual(
      (parse(recorded.get(conversation)!) as { interactions: unknown[] }).interactions,
    );
    const after = snapshotCassettes(project);
    for (const [name, text] of recorded) if (name !== conversation) expect(after.get(name), name).toBe(text);
    expect([...after.keys()]).toEqual(EXPECTED);
  });

  test('4. a misspelt --record=nwe stops the run with LLM_CASSETTE_MODE', { timeout: 30_000 }, async () => {
    const before = server.prompts.length;
    const run = await vitest(['run', '--', '--record=nwe'], false);
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('LLM_CASSETTE_MODE');
    expect(run.output).toContain('unknown record mode "nwe"');
    expect(readRuns(project)).toEqual([]);

    const script = await plainScript(['--record=nwe'], false);
    expect(script.code).not.toBe(0);
    expect(script.output).toContain('LLM_CASSETTE_MODE');
    expect(server.prompts.length).toBe(before);
  });
});
