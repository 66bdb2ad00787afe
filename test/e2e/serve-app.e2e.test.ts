/**
 * `cassettes serve` end to end: the PACKED package's bin in its own process, a small Node app in
 * another (the OpenAI SDK, streaming the answer to its HTTP client), the project's local provider
 * server. Records, then replays with the provider gone; the same cassette replays in-process, and
 * one recorded in-process replays through the server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { HttpCassette } from '../support/http-cassette.js';
import type { LocalServer } from '../support/local-server.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv, runNode } from './support/run.js';
import { type ServeProcess, startServeProcess } from './support/serve-process.js';
import { startStreamProvider } from './support/stream-provider.js';
import { delivery, percentile } from './support/stream-timing.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/serve');
const PROMPT = 'tell me something that streams';

let project: string;
let provider: LocalServer;
let server: ServeProcess | undefined;
const apps: ChildProcess[] = [];

beforeAll(async () => {
  const [tarball, local] = await Promise.all([packPackage(), startStreamProvider({ minGapMs: 20, maxGapMs: 45, extraEvents: 24 })]);
  provider = local;
  project = createProject(tarball, ['openai']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(TEMPLATE, project, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await server?.stop('SIGKILL');
  await provider?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The app in its own process, pointed at the server by OPENAI_BASE_URL. */
function startApp(baseUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['app.mjs'], { cwd: project, env: childEnv({ OPENAI_BASE_URL: baseUrl }), stdio: ['ignore', 'pipe', 'inherit'] });
  apps.push(child);
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) => reject(new Error(`the app exited (${code})`)));
    child.stdout!.setEncoding('utf8').once('data', (line: string) => resolvePromise((JSON.parse(line) as { url: string }).url));
  });
}

interface Trace {
  status: number;
  /** The answer's text events, as the app's SDK gave them. */
  events: string[];
  /** Each read of the model's response body in the app: size and time (ms from the call). */
  reads: { at: number; bytes: number }[];
  sha256: string;
}

/** Asks the app in trace mode: its answer events, then how the model's stream reached it. */
async function ask(appUrl: string): Promise<Trace> {
  const res = await fetch(`${appUrl}/chat?trace=1&q=${encodeURIComponent(PROMPT)}`);
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { text?: string; reads?: Trace['reads']; sha256?: string });
  const last = lines.pop()!;
  return { status: res.status, events: lines.map((l) => l.text!), reads: last.reads!, sha256: last.sha256! };
}

async function session(url: string, body: object, id?: string): Promise<{ id: string; baseUrls: { openai: string }; left?: unknown }> {
  const res = await fetch(id ? `${url}/__cassettes/sessions/${id}` : `${url}/__cassettes/sessions`, {
    method: id ? 'PUT' : 'POST',
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`session API ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; baseUrls: { openai: string } };
}

test('an app in its own process records through the server, replays with the provider gone (bytes, boundaries, timing), and the cassette works in-process both ways', {
  timeout: 90_000,
}, async () => {
  server = await startServeProcess(project, ['--upstream', `openai=${provider.url}`, '--mode', 'once'], childEnv({}));
  const { url } = server.description;
  const s = await session(url, { name: 'app/streams' });
  const appUrl = await startApp(s.baseUrls.openai);

  const live = await ask(appUrl);
  expect(live.status).toBe(200);
  const text = live.events.join('');
  expect(text).toContain(`echo: ${PROMPT}`);
  expect(live.events.length).toBeGreaterThanOrEqual(25);

  // the same call in-process, into a cassette of its own (the provider is still up)
  const direct = `${provider.url}/v1`;
  const inProcessLive = await runNode(['inprocess.mjs', 'app/in-process', 'once', direct, PROMPT], project, childEnv({}));
  expect(inProcessLive.code, inProcessLive.output).toBe(0);
  const inProcessText = (JSON.parse(inProcessLive.output) as { text: string }).text;
  expect(inProcessText).toBe(text);
  expect(provider.seen).toHaveLength(2);
  await provider.close();

  // replay through the server at recorded timing: the session re-pointed at the same cassette, replay only
  const moved = await session(url, { name: 'app/streams', mode: 'none', timing: 'recorded' }, s.id);
  expect(moved.left).toMatchObject({ name: 'app/streams', recorded: 1, written: true });
  const replayed = await ask(appUrl);
  expect(replayed.status).toBe(200);
  expect(replayed.sha256).toBe(live.sha256);
  expect(replayed.events).toEqual(live.events);

  const stored = parse(readFileSync(join(project, '__cassettes__/app/streams.yaml'), 'utf8')) as HttpCassette;
  const recording = stored.interactions[0]!;
  expect(recording.request.url).toBe(`${provider.url}/v1/chat/completions`);
  // boundaries: no read ever ends inside a recorded chunk; the reader, when busy, may join two
  const { splits, merges, gapErrors } = delivery(replayed.reads, recording.response!.chunks!);
  expect(splits).toBe(0);
  const p50 = percentile(gapErrors, 50);
  const p99 = percentile(gapErrors, 99);
  process.stderr.write(
    `serve e2e: ${gapErrors.length} gaps at recorded timing, server → app: |error| p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; ${merges} boundaries joined by the reader\n`,
  );
  // @note loose bounds against buffering (a stream that arrives whole): the figures come from `npm run bench` (G), on a quiet machine
  expect(merges).toBeLessThan(gapErrors.length / 2);
  expect(p50).toBeLessThan(15);

  // the served recording replays in-process with withCassette; the in-process one replays through the server
  const inProcessReplay = await runNode(['inprocess.mjs', 'app/streams', 'none', direct, PROMPT], project, childEnv({}));
  expect(inProcessReplay.code, inProcessReplay.output).toBe(0);
  expect((JSON.parse(inProcessReplay.output) as { text: string }).text).toBe(text);
  await session(url, { name: 'app/in-process', mode: 'none', timing: 'instant' }, s.id);
  const servedFromInProcess = await ask(appUrl);
  expect(servedFromInProcess.events.join('')).toBe(inProcessText);

  // SIGTERM: the session's cassette is saved and the server exits 0
  const stopped = await server.stop('SIGTERM');
  expect(stopped.code, server.stderr()).toBe(0);
  expect(server.stderr()).toContain('app/in-process: 1 replayed, 0 recorded');
});

test("node --import cassettes/propagate: an app server started with the server's own base URL carries the session of each inbound request (header or cookie) to its calls", {
  timeout: 60_000,
}, async () => {
  const local = await startStreamProvider({ minGapMs: 2, maxGapMs: 5 });
  const propagating = await startServeProcess(project, ['--upstream', `openai=${local.url}`, '--mode', 'once', '--dir', 'propagate'], childEnv({}));
  try {
    const { url, baseUrls } = propagating.description;
    const child = spawn(process.execPath, ['--import', 'cassettes/propagate', 'app.mjs'], {
      cwd: project,
      env: childEnv({ OPENAI_BASE_URL: baseUrls.openai }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    apps.push(child);
    const appUrl = await new Promise<string>((r) => child.stdout!.setEncoding('utf8').once('data', (line: string) => r(JSON.parse(line).url)));
    const a = await session(url, { name: 'a' });
    const b = await session(url, { name: 'b' });
    const get = (q: string, headers: Record<string, string>) => fetch(`${appUrl}/chat?q=${encodeURIComponent(q)}`, { headers }).then((r) => r.text());
    const answers = await Promise.all([
      get('to a by header', { 'x-cassette-session': a.id }),
      get('to b by cookie', { cookie: `other=1; cassettes-session=${b.id}` }),
      get('to nobody', {}),
    ]);
    expect(answers[0]).toBe('echo: to a by header');
    expect(answers[1]).toBe('echo: to b by cookie');
    // no session and nothing to replay: the server refuses it, and the app says so
    expect(answers[2]).toContain('names no session');
    for (const id of [a.id, b.id]) await fetch(`${url}/__cassettes/sessions/${id}`, { method: 'DELETE' });
    const prompts = (name: string): string[] =>
      (parse(readFileSync(join(project, `propagate/${name}.yaml`), 'utf8')) as HttpCassette).interactions.map(
        (i) => (i.request.body as { json: { messages: { content: string }[] } }).json.messages[0]!.content,
      );
    expect(prompts('a')).toEqual(['to a by header']);
    expect(prompts('b')).toEqual(['to b by cookie']);
  } finally {
    await propagating.stop('SIGKILL');
    await local.close();
  }
});
