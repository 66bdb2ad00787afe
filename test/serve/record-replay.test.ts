/**
 * `cassettes serve` records and replays through the same core as withCassette: the provider is a
 * local server on 127.0.0.1, the client is fetch in this process, the server is startServer().
 */
import { afterEach, describe, expect, test } from 'vitest';
import { sessionClient } from '../../src/entries/serve.js';
import { withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';
import { call, readCassette, serve, stream } from './support.js';

const SECRET = 'sk-serve-test-0123456789abcdef';
let provider: LocalServer | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

const ask = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  stream: true,
  messages: [{ role: 'user', content: prompt }],
  ...extra,
});

describe('record, then replay, through a session', () => {
  test('the upstream gets the request at its own path with the app key and no session header; the cassette stores the upstream URL and no key', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'once', upstream: { openai: provider.url } });
    const sessions = sessionClient(server.url);
    const session = await sessions.open({ name: 'serve/basic' });
    expect(session.baseUrls.openai).toBe(`${server.url}/s/${session.id}/openai/v1`);

    const live = await stream(`${session.baseUrls.openai}/chat/completions`, ask('hello there'), {
      authorization: `Bearer ${SECRET}`,
      'x-cassette-session': 'something-else',
    });
    expect(live.status).toBe(200);
    expect(Buffer.concat(live.chunks).toString()).toContain('hello');
    expect(provider.seen).toHaveLength(1);
    expect(provider.seen[0]!.url).toBe('/v1/chat/completions');
    expect(provider.seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(provider.seen[0]!.headers['x-cassette-session']).toBeUndefined();

    const summary = await sessions.end(session.id);
    expect(summary).toMatchObject({ name: 'serve/basic', recorded: 1, replayed: 0, misses: [], written: true });
    const { text, data } = readCassette(server.dir, 'serve/basic');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('x-cassette-session');
    expect(data.interactions[0]!.request.url).toBe(`${provider.url}/v1/chat/completions`);
    const storedChunks = data.interactions[0]!.response!.chunks!;
    expect(storedChunks.length).toBeGreaterThan(2);

    await provider.close();
    const replaySession = await sessions.open({ name: 'serve/basic', mode: 'none', timing: 'instant' });
    const replayed = await stream(`${replaySession.baseUrls.openai}/chat/completions`, ask('hello there'), { authorization: 'Bearer placeholder' });
    expect(replayed.status).toBe(200);
    expect(Buffer.concat(replayed.chunks).equals(Buffer.concat(live.chunks))).toBe(true);
    expect(await sessions.end(replaySession.id)).toMatchObject({ replayed: 1, recorded: 0, unused: 0, misses: [], written: false });
  });

  test('--key: the server sends the key from the environment upstream; the app runs with a placeholder and the key is stored nowhere', async () => {
    provider = await startLocalServer(echoHandler());
    process.env['SERVE_TEST_KEY'] = SECRET;
    try {
      const server = await serve({ mode: 'once', upstream: { openai: provider.url }, key: { openai: 'env:SERVE_TEST_KEY' } });
      const sessions = sessionClient(server.url);
      const session = await sessions.open({ name: 'serve/key' });
      const reply = await call(`${session.baseUrls.openai}/chat/completions`, {
        body: ask('k', { stream: false }),
        headers: { authorization: 'Bearer placeholder' },
      });
      expect(reply.status).toBe(200);
      expect(provider.seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
      await sessions.end(session.id);
      expect(readCassette(server.dir, 'serve/key').text).not.toContain(SECRET);
      expect(server.logs.join('\n')).not.toContain(SECRET);
    } finally {
      delete process.env['SERVE_TEST_KEY'];
    }
  });

  test('the mounts map to the upstream as the issue says: /openai/v1/x → URL/v1/x, /anthropic/messages → /v1/messages, /gemini keeps its path and query', async () => {
    provider = await startLocalServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const server = await serve({
      mode: 'all',
      upstream: { openai: provider.url, anthropic: provider.url, gemini: `${provider.url}/g`, other: `${provider.url}/gw/` },
    });
    const session = await sessionClient(server.url).open({ name: 'serve/mounts' });
    const base = session.baseUrls;
    await call(`${base.openai}/chat/completions`, { body: {} });
    await call(`${base.anthropic}/messages`, { body: {} });
    await call(`${base.anthropic}/v1/messages?beta=true`, { body: {} });
    await call(`${base.gemini}/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse`, { body: {} });
    await call(`${base['other']}/v1/embeddings`, { body: {} });
    expect(provider.seen.map((r) => r.url)).toEqual([
      '/v1/chat/completions',
      '/v1/messages',
      '/v1/messages?beta=true',
      '/g/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
      '/gw/v1/embeddings',
    ]);
  });

  test('the default mounts name the real provider hosts, and the description gives the env vars SDKs read', async () => {
    const server = await serve();
    expect(server.baseUrls).toEqual({ openai: `${server.url}/openai/v1`, anthropic: `${server.url}/anthropic`, gemini: `${server.url}/gemini` });
    expect(server.env).toEqual({
      OPENAI_BASE_URL: server.baseUrls.openai,
      ANTHROPIC_BASE_URL: server.baseUrls.anthropic,
      GOOGLE_GEMINI_BASE_URL: server.baseUrls.gemini,
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env['CASSETTES_URL']).toBe(server.url);
    expect((await call(`${server.url}/__cassettes/health`)).json()).toMatchObject({ ok: true, url: server.url });
  });
});

describe('one cassette, two hosts', () => {
  test('a cassette recorded through the server replays in-process with withCassette, and one recorded in-process replays through the server', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'once', upstream: { openai: provider.url } });
    const sessions = sessionClient(server.url);
    const direct = `${provider.url}/v1/chat/completions`;

    const a = await sessions.open({ name: 'hosts/served' });
    const servedLive = await stream(`${a.baseUrls.openai}/chat/completions`, ask('served first'));
    await sessions.end(a.id);
    const inProcessLive = await withCassette('hosts/in-process', () => stream(direct, ask('in-process first')), { dir: server.dir, mode: 'once' });
    expect(provider.seen).toHaveLength(2);
    await provider.close();

    const servedThenInProcess = await withCassette('hosts/served', () => stream(direct, ask('served first')), { dir: server.dir, mode: 'none' });
    expect(Buffer.concat(servedThenInProcess.chunks).equals(Buffer.concat(servedLive.chunks))).toBe(true);

    const b = await sessions.open({ name: 'hosts/in-process', mode: 'none' });
    const inProcessThenServed = await stream(`${b.baseUrls.openai}/chat/completions`, ask('in-process first'));
    expect(Buffer.concat(inProcessThenServed.chunks).equals(Buffer.concat(inProcessLive.chunks))).toBe(true);
    expect(await sessions.end(b.id)).toMatchObject({ replayed: 1, misses: [] });
  });
});

describe('a client that goes away', () => {
  test('disconnecting mid-stream while recording stores a cut (as in-process), and the server goes on serving', async () => {
    provider = await startLocalServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i === 20) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(`data: {"i":${i++}}\n\n`);
      }, 20);
    });
    const server = await serve({ mode: 'once', upstream: { openai: provider.url } });
    const sessions = sessionClient(server.url);
    const session = await sessions.open({ name: 'serve/cut' });
    const abort = new AbortController();
    const res = await fetch(`${session.baseUrls.openai}/chat/completions`, { method: 'POST', body: JSON.stringify(ask('cut')), signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    abort.abort();
    const summary = await sessions.end(session.id);
    expect(summary).toMatchObject({ recorded: 1, written: true });
    const end = readCassette(server.dir, 'serve/cut').data.interactions[0]!.response!.end!;
    expect(end.state).toBe('aborted');
    expect(end.atMs).toBeLessThan(400);
    expect((await call(`${server.url}/__cassettes/health`)).status).toBe(200);
  });
});
