import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette } from '../../src/cassette/codec.js';
import { configure, isCassetteError, withCassette } from '../../src/index.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

const ENV_KEY = 'sk-env-openai-key-4242424242';
const HEADER_KEY = 'sk-ant-header-key-7777777777';
const GOOG_KEY = 'AIzaGoogleQueryKey123456';

let server: LocalServer;
beforeAll(async () => {
  process.env['OPENAI_API_KEY'] = ENV_KEY;
  // a careless server that echoes the key back, in a header, a cookie and the body
  server = await startLocalServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': 'session=abcdef123456; Path=/',
      'x-echo-key': String(req.headers['x-api-key'] ?? ''),
    });
    let note: unknown = null;
    try {
      note = (JSON.parse(req.body) as { note?: unknown; echo?: unknown }).note ?? null;
    } catch {
      // not JSON
    }
    res.end(JSON.stringify({ note, auth: req.headers['authorization'] ?? null, url: req.url }));
  });
});
afterAll(async () => {
  delete process.env['OPENAI_API_KEY'];
  await server.close();
});

function allText(dir: string): string {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [readFileSync(join(d, e.name), 'utf8')]));
  return walk(dir).join('\n');
}

describe('secrets never reach disk', () => {
  test('auth headers, cookies, query keys, env key values and user rules are scrubbed; matching still works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmc-secrets-'));
    const calls = async (): Promise<unknown[]> => [
      await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ENV_KEY}`, 'content-type': 'application/json', 'openai-organization': 'org-secret-123', cookie: 'a=b' },
        body: JSON.stringify({ model: 'm', note: `my key is ${ENV_KEY}`, metadata: { user_email: 'someone@example.com' } }),
      }).then((r) => r.json()),
      await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': HEADER_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude', echo: HEADER_KEY }),
      }).then((r) => r.json()),
      await fetch(`${server.url}/v1beta/models/g:generateContent?key=${GOOG_KEY}&alt=json`, { method: 'POST', body: '{"contents":[]}' }).then((r) => r.json()),
    ];
    const options = { dir, redact: { bodyPaths: ['metadata.user_email'], patterns: [/org-[a-z]+-\d+/] } };
    const live = await withCassette('secrets', calls, { ...options, mode: 'once' });
    const text = allText(dir);
    for (const secret of [ENV_KEY, HEADER_KEY, GOOG_KEY, 'abcdef123456', 'org-secret-123', 'someone@example.com']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
    // the same calls still replay: matching keys on the scrubbed request both times
    const replayed = await withCassette('secrets', calls, { ...options, mode: 'none' });
    expect(replayed).toHaveLength(live.length);
  });

  test('a miss message never prints a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmc-secrets-'));
    await withCassette(
      'miss',
      () => fetch(`${server.url}/v1beta/models/g:generateContent?key=${GOOG_KEY}`, { method: 'POST', body: `{"k":"${ENV_KEY}","n":1}` }).then((r) => r.text()),
      { dir, mode: 'once' },
    );
    const error = await withCassette(
      'miss',
      () => fetch(`${server.url}/v1beta/models/g:generateContent?key=${GOOG_KEY}`, { method: 'POST', body: `{"k":"${ENV_KEY}","n":2}` }).then((r) => r.text()),
      { dir, mode: 'none' },
    ).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    expect((error as Error).message).toContain('n: 1 → 2');
    expect((error as Error).message).not.toContain(GOOG_KEY);
    expect((error as Error).message).not.toContain(ENV_KEY);
  });

  test('scrubbing works on the stored copy: the app reads a chunk with half a key before the rest of the stream exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmc-secrets-'));
    let appReadFirst!: () => void;
    const firstRead = new Promise<void>((resolve) => (appReadFirst = resolve));
    const streaming = await startLocalServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: {"echo":"${ENV_KEY.slice(0, 10)}`);
      // the rest is written only once the app has read the first part: a recorder that held
      // chunks back to scrub them would never let this stream finish
      await firstRead;
      res.end(`${ENV_KEY.slice(10)}"}\n\n`);
    });
    const seen = await withCassette(
      'first-chunk',
      async () => {
        const reader = (await fetch(`${streaming.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })).body!.getReader();
        const parts: string[] = [];
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(Buffer.from(value).toString());
          appReadFirst();
        }
        return parts;
      },
      { dir, mode: 'once' },
    );
    await streaming.close();
    expect(seen).toEqual([`data: {"echo":"${ENV_KEY.slice(0, 10)}`, `${ENV_KEY.slice(10)}"}\n\n`]);
    const stored = readFileSync(join(dir, 'first-chunk.yaml'), 'utf8');
    expect(stored).not.toContain(ENV_KEY.slice(0, 8));
    // 10 of the key's 28 characters in the first chunk: 4 of the marker's 10
    const chunks = httpInteractions(decodeCassette(stored, 'first-chunk.yaml'))[0]!.response!.chunks!;
    expect(chunks[0]?.text).toBe('data: {"echo":"[RED');
    expect(chunks[1]?.text).toMatch(/^ACTED\]"\}/);
  });

  test('a request blocked outside any cassette: its own credentials are scrubbed from the error wherever it put them (a path)', async () => {
    const own = 'sk-own-path-key-31415926';
    const url = `${server.url}/v1/keys/${own}/x?key=${GOOG_KEY}`;
    configure({ blockNetwork: true });
    try {
      const viaFetch = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${own}` }, body: '{}' }).catch((e: unknown) => e);
      const viaHttp = await new Promise<unknown>((resolve) => {
        const req = httpRequest(url, { method: 'POST', headers: { 'x-api-key': own } }, () => resolve('answered'));
        req.on('error', resolve);
        req.end('{}');
      });
      for (const error of [viaFetch, viaHttp]) {
        const printed = inspect(error, { depth: 8 });
        expect(printed).toContain('network blocked outside a cassette');
        expect(printed).not.toContain(own);
        expect(printed).not.toContain(GOOG_KEY);
      }
    } finally {
      configure({ blockNetwork: false });
    }
  });
});
