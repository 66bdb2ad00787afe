/**
 * One `cassettes serve` process (the packed bin), many sessions at once, and the ways a server
 * stops: 50 parallel streaming sessions never see each other's interactions; SIGTERM saves what
 * was recorded; SIGKILL leaves every saved cassette whole.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { HttpCassette } from '../support/http-cassette.js';
import type { LocalServer } from '../support/local-server.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv } from './support/run.js';
import { type ServeProcess, startServeProcess } from './support/serve-process.js';
import { startStreamProvider } from './support/stream-provider.js';

const SESSIONS = 50;
let project: string;
const servers: ServeProcess[] = [];
const providers: LocalServer[] = [];

beforeAll(async () => {
  const tarball = await packPackage();
  project = createProject(tarball, []);
  rmSync(dirname(tarball), { recursive: true, force: true });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await Promise.all(providers.map((p) => p.close()));
  if (project) rmSync(project, { recursive: true, force: true });
});

async function provider(options: Parameters<typeof startStreamProvider>[0]): Promise<LocalServer> {
  const p = await startStreamProvider(options);
  providers.push(p);
  return p;
}

async function serve(args: string[]): Promise<ServeProcess> {
  const s = await startServeProcess(project, args, childEnv({}));
  servers.push(s);
  return s;
}

async function api<T>(url: string, method: string, body?: object): Promise<T> {
  const res = await fetch(url, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function streamed(baseUrl: string, prompt: string): Promise<Buffer> {
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-e2e', stream: true, messages: [{ role: 'user', content: prompt }] }),
  });
  if (res.status !== 200) throw new Error(`${prompt}: ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

function cassette(dir: string, name: string): HttpCassette | undefined {
  const file = join(dir, `${name}.yaml`);
  return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as HttpCassette) : undefined;
}

const promptOf = (interaction: HttpCassette['interactions'][number]): string =>
  (interaction.request.body as { json: { messages: { content: string }[] } }).json.messages[0]!.content;

test(`${SESSIONS} parallel streaming sessions through one server process: 0 interactions in the wrong cassette, 0 lost, 0 unsettled; then all replay in parallel`, {
  timeout: 120_000,
}, async () => {
  const upstream = await provider({ minGapMs: 2, maxGapMs: 12, extraEvents: 10 });
  const server = await serve(['--upstream', `openai=${upstream.url}`, '--mode', 'once', '--dir', 'parallel']);
  const { url } = server.description;
  const prompt = (i: number): string => `session number ${i}`;

  const live = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      const session = await api<{ id: string; baseUrls: { openai: string } }>(`${url}/__cassettes/sessions`, 'POST', { name: `s${i}` });
      const body = await streamed(session.baseUrls.openai, prompt(i));
      const summary = await api<{ recorded: number; misses: unknown[] }>(`${url}/__cassettes/sessions/${session.id}`, 'DELETE');
      return { body, summary };
    }),
  );
  expect(upstream.seen).toHaveLength(SESSIONS);
  const dir = join(project, 'parallel');
  let wrong = 0;
  let lost = 0;
  let unsettled = 0;
  for (let i = 0; i < SESSIONS; i++) {
    expect(live[i]!.summary).toMatchObject({ recorded: 1, misses: [] });
    const data = cassette(dir, `s${i}`);
    if (!data || data.interactions.length === 0) {
      lost++;
      continue;
    }
    wrong += data.interactions.filter((interaction) => promptOf(interaction) !== prompt(i)).length;
    unsettled += data.interactions.filter((interaction) => interaction.response?.end?.state !== 'completed').length;
    // the client got its own answer, too
    expect(live[i]!.body.toString()).toContain(`"content":" ${i}"`);
  }
  process.stderr.write(`serve e2e: ${SESSIONS} parallel sessions: ${wrong} in the wrong cassette, ${lost} lost, ${unsettled} unsettled\n`);
  expect({ wrong, lost, unsettled }).toEqual({ wrong: 0, lost: 0, unsettled: 0 });
  expect(readdirSync(dir).filter((f) => f.endsWith('.yaml'))).toHaveLength(SESSIONS);

  await upstream.close();
  const replays = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      const session = await api<{ id: string; baseUrls: { openai: string } }>(`${url}/__cassettes/sessions`, 'POST', {
        name: `s${i}`,
        mode: 'none',
        timing: 'instant',
      });
      const body = await streamed(session.baseUrls.openai, prompt(i));
      await api(`${url}/__cassettes/sessions/${session.id}`, 'DELETE');
      return body;
    }),
  );
  for (let i = 0; i < SESSIONS; i++) expect(replays[i]!.equals(live[i]!.body), `session ${i}`).toBe(true);
});

test('SIGTERM with a session still open and a stream still recording: the stream finishes, the cassette is saved, the server exits 0', {
  timeout: 60_000,
}, async () => {
  const upstream = await provider({ minGapMs: 20, maxGapMs: 30, extraEvents: 20 });
  const server = await serve(['--upstream', `openai=${upstream.url}`, '--mode', 'once', '--dir', 'sigterm']);
  const { url } = server.description;
  const session = await api<{ id: string; baseUrls: { openai: string } }>(`${url}/__cassettes/sessions`, 'POST', { name: 'open' });
  await streamed(session.baseUrls.openai, 'finished before');
  const inFlight = streamed(session.baseUrls.openai, 'still streaming');
  await new Promise((r) => setTimeout(r, 150));
  const stopped = server.stop('SIGTERM');
  const body = await inFlight;
  expect(body.toString()).toContain('data: [DONE]');
  expect((await stopped).code, server.stderr()).toBe(0);
  const data = cassette(join(project, 'sigterm'), 'open');
  expect(data?.interactions.map(promptOf)).toEqual(['finished before', 'still streaming']);
  expect(data?.interactions.every((i) => i.response?.end?.state === 'completed')).toBe(true);
  expect(server.stderr()).toContain('open: 0 replayed, 2 recorded (saved)');
});

test('SIGKILL mid-recording: every cassette saved before is whole and unchanged, and no half-written one is left in its place', {
  timeout: 60_000,
}, async () => {
  const upstream = await provider({ minGapMs: 20, maxGapMs: 30, extraEvents: 20 });
  const server = await serve(['--upstream', `openai=${upstream.url}`, '--mode', 'once', '--dir', 'sigkill']);
  const { url } = server.description;
  const first = await api<{ id: string; baseUrls: { openai: string } }>(`${url}/__cassettes/sessions`, 'POST', { name: 'saved' });
  await streamed(first.baseUrls.openai, 'saved before the crash');
  await api(`${url}/__cassettes/sessions/${first.id}`, 'DELETE');
  const dir = join(project, 'sigkill');
  const before = readFileSync(join(dir, 'saved.yaml'), 'utf8');

  const second = await api<{ id: string; baseUrls: { openai: string } }>(`${url}/__cassettes/sessions`, 'POST', { name: 'saved' });
  const inFlight = streamed(second.baseUrls.openai, 'cut by the crash').catch((error: unknown) => error);
  await new Promise((r) => setTimeout(r, 150));
  await server.stop('SIGKILL');
  expect(await inFlight).toBeInstanceOf(Error);
  expect(readFileSync(join(dir, 'saved.yaml'), 'utf8')).toBe(before);
  expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual(['saved.yaml']);
});
