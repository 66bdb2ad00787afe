/**
 * Python against `cassettes serve`: the official `openai` package, in a virtualenv this test
 * creates, records and replays through the server (streaming included), and a Python app server
 * joins a session through the documented middleware (docs/python/cassettes_session.py).
 * Where no virtualenv with `openai` can be made (pip reaches no index), it skips and says why.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { type RunningServer, sessionClient, startServer } from '../../src/entries/serve.js';
import { readCassette } from '../serve/support.js';
import type { LocalServer } from '../support/local-server.js';
import { childEnv } from './support/run.js';
import { startStreamProvider } from './support/stream-provider.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/**
 * A virtualenv with the official openai package, made once per machine and reused (the suite runs
 * on two Node versions). pip uses the machine's own configuration; no index, no venv: undefined.
 */
function pythonWithOpenai(): { python: string } | { reason: string } {
  const venv = join(tmpdir(), 'cassettes-e2e-python-openai');
  const python = join(venv, 'bin/python');
  const works = (): boolean => spawnSync(python, ['-c', 'import openai'], { encoding: 'utf8' }).status === 0;
  if (existsSync(python) && works()) return { python };
  const made = spawnSync('python3', ['-m', 'venv', '--clear', venv], { encoding: 'utf8', timeout: 120_000 });
  if (made.status !== 0) return { reason: `python3 -m venv failed: ${(made.stderr || made.error?.message || '').trim().split('\n').at(-1)}` };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--retries', '0', '--disable-pip-version-check', 'openai'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status !== 0 || !works()) return { reason: `pip could not install openai: ${(pip.stderr || '').trim().split('\n').at(-1)}` };
  return { python };
}

const env = pythonWithOpenai();
if ('reason' in env) console.warn(`[cassettes] Python e2e: skipped, ${env.reason}`);

const work = mkdtempSync(join(tmpdir(), 'cassettes-e2e-python-'));
cpSync(resolve(HERE, 'projects/python'), work, { recursive: true });
cpSync(resolve(ROOT, 'docs/python/cassettes_session.py'), join(work, 'cassettes_session.py'));

let provider: LocalServer | undefined;
let server: RunningServer | undefined;
const apps: ChildProcess[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) app.kill();
  await server?.close();
  await provider?.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CallsOutput {
  pieces?: string[];
  text?: string;
  miss?: string;
  status?: number;
}

/** @note never spawnSync here: the server and the provider run in this process's event loop */
function python(args: string[], extra: Record<string, string>): Promise<CallsOutput> {
  const child = spawn((env as { python: string }).python, args, { cwd: work, env: childEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolvePromise, reject) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`python ${args.join(' ')} failed (${code}):\n${stdout}\n${stderr}`));
      else resolvePromise(JSON.parse(stdout.trim().split('\n').at(-1)!) as CallsOutput);
    });
  });
}

function startApp(baseUrl: string): Promise<string> {
  const child = spawn((env as { python: string }).python, ['app.py'], {
    cwd: work,
    env: childEnv({ OPENAI_BASE_URL: baseUrl }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  apps.push(child);
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) => reject(new Error(`app.py exited (${code})`)));
    child.stdout!.setEncoding('utf8').once('data', (line: string) => resolvePromise((JSON.parse(line) as { url: string }).url));
  });
}

async function setUp(): Promise<{ dir: string }> {
  provider = await startStreamProvider({ minGapMs: 5, maxGapMs: 15, extraEvents: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-e2e-python-cassettes-'));
  server = await startServer({ dir, upstream: { openai: provider.url }, log: () => undefined });
  return { dir };
}

describe.skipIf('reason' in env)('python', () => {
  test('the official openai package records and replays through the server, streaming included; a miss is its BadRequestError with the miss message', {
    timeout: 120_000,
  }, async () => {
    const { dir } = await setUp();
    const sessions = sessionClient(server!.url);
    const recording = await sessions.open({ name: 'python/calls', mode: 'once' });
    const live = await python(['calls.py', 'hello from python'], { OPENAI_BASE_URL: recording.baseUrls.openai });
    expect(live.pieces!.join('')).toBe('echo: hello from python w0 w1 w2 w3');
    expect(live.pieces!.length).toBeGreaterThan(5);
    expect(live.text).toBe('echo: hello from python again w0 w1 w2 w3');
    expect(await sessions.end(recording.id)).toMatchObject({ recorded: 2, written: true });
    expect(readCassette(dir, 'python/calls').data.interactions[0]!.response!.chunks!.length).toBeGreaterThan(5);
    await provider!.close();

    const replaying = await sessions.open({ name: 'python/calls', mode: 'none', timing: 'instant' });
    expect(await python(['calls.py', 'hello from python'], { OPENAI_BASE_URL: replaying.baseUrls.openai })).toEqual(live);
    const miss = await python(['calls.py', 'something else', '--miss'], { OPENAI_BASE_URL: replaying.baseUrls.openai });
    expect(miss.status).toBe(400);
    expect(miss.miss).toContain('no recorded interaction matches POST');
    expect(miss.miss).toContain('"hello from python again" → "something else"');
    expect(await sessions.end(replaying.id)).toMatchObject({ replayed: 2, misses: [{ message: miss.miss }] });
  });

  test('a Python app server joins a session through the documented middleware: the cookie or the header, carried on by the httpx hook', {
    timeout: 120_000,
  }, async () => {
    const { dir } = await setUp();
    const sessions = sessionClient(server!.url);
    const app = await startApp(server!.baseUrls.openai);
    const ask = async (question: string, id: string, how: 'cookie' | 'header'): Promise<string> => {
      const headers = how === 'cookie' ? { cookie: `theme=dark; cassettes-session=${id}` } : { 'x-cassette-session': id };
      const res = await fetch(`${app}/?q=${encodeURIComponent(question)}`, { headers });
      return res.text();
    };

    const recording = await sessions.open({ name: 'python/app', mode: 'once' });
    expect(await ask('by cookie', recording.id, 'cookie')).toBe('echo: by cookie w0 w1 w2 w3');
    expect(await ask('by header', recording.id, 'header')).toBe('echo: by header w0 w1 w2 w3');
    expect(await sessions.end(recording.id)).toMatchObject({ recorded: 2 });
    const stored = readCassette(dir, 'python/app').text;
    expect(stored).toContain('content: by cookie');
    expect(stored).toContain('content: by header');
    await provider!.close();

    const replaying = await sessions.open({ name: 'python/app', mode: 'none' });
    expect(await ask('by header', replaying.id, 'header')).toBe('echo: by header w0 w1 w2 w3');
    expect(await ask('by cookie', replaying.id, 'cookie')).toBe('echo: by cookie w0 w1 w2 w3');
    expect(await sessions.end(replaying.id)).toMatchObject({ replayed: 2, misses: [] });
  });
});
