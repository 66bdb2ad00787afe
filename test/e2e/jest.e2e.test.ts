/**
 * End to end under the real Jest 30: the PACKED package (its CommonJS build) in a throwaway
 * project, the real openai SDK against a synthetic chat-completions server on 127.0.0.1, the
 * commands the README gives. Plus ES module test files under --experimental-vm-modules.
 */
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { createProject, packPackage } from './support/packed.js';
import { cassetteNames, childEnv, promptsIn, type RunResult, readCassette, readRuns, runNode, snapshotCassettes } from './support/run.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/jest');

const EXPECTED = [
  'errors/known.yaml',
  'esm/esm-only.test/esm says hello.yaml',
  'esm/esm-only.test/esm streams.yaml',
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
  'test/other.test/answers from another file.yaml',
  'test/other.test/is retried.yaml',
  'test/third.test/posts with node-http.yaml',
  'test/third.test/uses fetch directly.yaml',
];

let server: ChatServer;
let project: string;

beforeAll(async () => {
  const [tarball, chat] = await Promise.all([packPackage(), startChatServer()]);
  server = chat;
  project = createProject(tarball, ['jest', 'openai']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(TEMPLATE, project, { recursive: true });
  // kept out of this repo's own test glob as *.case.*
  for (const name of ['chat', 'other', 'third']) renameSync(join(project, `test/${name}.case.js`), join(project, `test/${name}.test.js`));
  renameSync(join(project, 'esm/esm.case.mjs'), join(project, 'esm/esm-only.test.mjs'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** `jest <args>` in the project; `ci` decides the default mode (none under CI, else once). */
async function jest(args: string[], ci: boolean, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  rmSync(join(project, 'runs.jsonl'), { force: true });
  // without timings from earlier runs, Jest uses its workers rather than running in band
  rmSync(join(project, '.jest-cache'), { recursive: true, force: true });
  const env = childEnv({ CI: ci ? 'true' : undefined, E2E_BASE_URL: server.baseURL, ...extraEnv });
  return runNode([join(project, 'node_modules/jest/bin/jest.js'), ...args], project, env);
}

const esmJest = (args: string[], ci: boolean): Promise<RunResult> =>
  jest(['--config', 'jest.esm.config.js', ...args], ci, { NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning' });

async function plainScript(args: string[], ci: boolean): Promise<RunResult> {
  const env = childEnv({ CI: ci ? 'true' : undefined, E2E_BASE_URL: server.baseURL });
  return runNode([join(project, 'scripts/plain.cjs'), ...args], project, env);
}

function expectPassed(run: RunResult, suites: number): void {
  if (run.code !== 0) throw new Error(`exit code ${run.code}:\n${run.output}`);
  expect(run.output).toMatch(new RegExp(`Test Suites:\\s+${suites} passed, ${suites} total`));
  // Jest's warning for a global read after its test file ended (globalsCleanup: 'soft')
  expect(run.output).not.toContain('soft deleted');
}

/**
 * The three CommonJS files ran in Jest's workers, not its main process, saw this record flag,
 * and one worker ran two of them: its second file had a fresh module registry and vm context
 * but the interceptor the first one installed.
 */
function expectWorkers(run: RunResult, flag: string | null): void {
  const runs = readRuns(project);
  expect(runs.map((r) => r.file).sort()).toEqual(['chat', 'other', 'third']);
  for (const r of runs) {
    expect(r.pid).not.toBe(run.pid);
    expect(r.flag).toBe(flag);
  }
  expect(new Set(runs.map((r) => r.pid)).size).toBeLessThan(runs.length);
}

describe('jest: globalSetup + setupFiles', () => {
  let recorded: Map<string, string>;

  test('1. records with `jest --record=once` (CI unset), auto-named and explicit cassettes', { timeout: 40_000 }, async () => {
    const run = await jest(['--record=once'], false);
    expectPassed(run, 3);
    expectWorkers(run, 'once');
    const esm = await esmJest([], false);
    expectPassed(esm, 1);
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
    expect(promptsIn(project, 'test/other.test/is retried.yaml')).toEqual(['retry']);
    expect(promptsIn(project, 'test/third.test/posts with node-http.yaml')).toEqual(['over http']);
    expect(promptsIn(project, 'test/third.test/uses fetch directly.yaml')).toEqual(['plain fetch']);
    expect(readCassette(project, 'test/chat.test/chat streams a reply.yaml').interactions[0]?.request.body?.json?.stream).toBe(true);
    // every call reached the server exactly once (the retry replayed); the refused one never did
    expect(server.prompts.length).toBe(20);
    expect(server.prompts).not.toContain('unknown');
    recorded = snapshotCassettes(project);
  });

  test('2. replays with CI=true (mode none) while the server is down, with globalsCleanup: on', { timeout: 40_000 }, async () => {
    await server.stop();
    const run = await jest([], true, { E2E_GLOBALS_CLEANUP: 'on' });
    expectPassed(run, 3);
    expectWorkers(run, null);
    const esm = await esmJest([], true);
    expectPassed(esm, 1);
    const script = await plainScript([], true);
    expect(script.output, script.output).toContain('plain: echo: from a script');
    expect(snapshotCassettes(project)).toEqual(recorded);
  });

  test('3. `jest --record=new` records only the new call', { timeout: 40_000 }, async () => {
    await server.start();
    const before = server.prompts.length;
    const file = join(project, 'test/chat.test.js');
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('// e2e: step 3 adds a call here');
    writeFileSync(file, source.replace('// e2e: step 3 adds a call here', "said.push(await ask('third'));"));

    const run = await jest(['--record=new'], false);
    expectPassed(run, 3);
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

  test('4. a misspelt `jest --record=nwe` stops the run with LLM_CASSETTE_MODE', { timeout: 40_000 }, async () => {
    const before = server.prompts.length;
    const run = await jest(['--record=nwe'], false);
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
