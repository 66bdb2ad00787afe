import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isCassetteError, withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'llmc-transport-'));

function viaHttp(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A node:http POST whose body goes out in pieces with `req.write()`: no content-length, chunked. */
function viaHttpChunked(url: string, parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const received: Buffer[] = [];
      res.on('data', (c: Buffer) => received.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(received).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('a node:http body written with req.write() then req.end() (chunked)', () => {
  test.each(['passthrough', 'once'] as const)('goes out whole in mode %s, and the server sees the whole body', async (mode) => {
    const dir = dirOf();
    const local = await startLocalServer(echoHandler());
    const url = `${local.url}/v1/chat/completions`;
    const parts = ['{"messages":[{"role":"user",', '"content":"in pieces"}]}'];
    const live = await withCassette('chunked', () => viaHttpChunked(url, parts), { dir, mode });
    expect(live.status).toBe(200);
    expect(local.seen).toHaveLength(1);
    expect(local.seen[0]!.body).toBe(parts.join(''));
    expect(local.seen[0]!.headers['transfer-encoding']).toBeUndefined();
    await local.close();
    if (mode === 'once') {
      const replayed = await withCassette('chunked', () => viaHttpChunked(url, parts), { dir, mode: 'none' });
      expect(replayed).toEqual(live);
    }
  });
});

describe('every transport is intercepted', () => {
  test.each([
    ['global fetch', (url: string, body: string) => fetch(url, { method: 'POST', body }).then(async (r) => ({ status: r.status, body: await r.text() }))],
    [
      'undici.request',
      (url: string, body: string) => undiciRequest(url, { method: 'POST', body }).then(async (r) => ({ status: r.statusCode, body: await r.body.text() })),
    ],
    ['undici.fetch', (url: string, body: string) => undiciFetch(url, { method: 'POST', body }).then(async (r) => ({ status: r.status, body: await r.text() }))],
    ['node:http', viaHttp],
  ])('%s: records, then replays with the server gone', async (_name, call) => {
    const dir = dirOf();
    const local = await startLocalServer(echoHandler());
    const url = `${local.url}/v1/chat/completions`;
    const live = await withCassette('t', () => call(url, '{"q":"transport"}'), { dir, mode: 'once' });
    expect(live.status).toBe(200);
    expect(local.seen).toHaveLength(1);
    await local.close();
    const replayed = await withCassette('t', () => call(url, '{"q":"transport"}'), { dir, mode: 'none' });
    expect(replayed).toEqual(live);
    const miss = await withCassette('t', () => call(url, '{"q":"other"}'), { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(miss) && miss.code).toBe('LLM_CASSETTE_NO_MATCH');
  });

  test('requests outside a cassette pass through untouched; ignoreHosts leaves a host alone inside one', async () => {
    const before = server.seen.length;
    const res = await fetch(`${server.url}/v1/x`, { method: 'POST', body: '{"q":"outside"}' });
    expect(res.status).toBe(200);
    expect(server.seen.length).toBe(before + 1);
    const dir = dirOf();
    await withCassette('ignored', () => fetch(`${server.url}/v1/x`, { method: 'POST', body: '{}' }).then((r) => r.text()), {
      dir,
      mode: 'none',
      ignoreHosts: [new URL(server.url).host],
    }).catch((e: unknown) => {
      // mode none with no file: NOT_FOUND is expected before anything runs; use once instead below
      expect(isCassetteError(e) && e.code).toBe('LLM_CASSETTE_NOT_FOUND');
    });
    const r = await withCassette('ignored', () => fetch(`${server.url}/v1/x`, { method: 'POST', body: '{}' }).then((x) => x.status), {
      dir,
      mode: 'once',
      ignoreHosts: [new URL(server.url).host],
      onReport: (report) => expect(report.recorded).toBe(0),
    });
    expect(r).toBe(200);
    expect(server.seen.length).toBe(before + 2);
  });

  test('a client with its own undici Agent cannot slip through: the request fails and withCassette rejects with LLM_CASSETTE_BYPASS', async () => {
    const dir = dirOf();
    const agent = new Agent();
    const before = server.seen.length;
    const error = await withCassette(
      'bypass',
      () => undiciRequest(`${server.url}/v1/x`, { method: 'POST', body: '{}', dispatcher: agent }).then((r) => r.body.text()),
      {
        dir,
        mode: 'once',
      },
    ).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_BYPASS');
    expect((error as Error).message).toContain('dispatcher');
    expect(server.seen.length).toBe(before);
    await agent.close();
  });

  test("concurrent cassettes never see each other's requests", async () => {
    const dir = dirOf();
    const run = (tag: string, n: number) => async () => {
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ tag, i }) }).then((r) => r.json() as Promise<{ echo: string }>),
        ),
      );
      return results.map((r) => r.echo);
    };
    const [a, b] = await Promise.all([withCassette('conc-a', run('a', 5), { dir, mode: 'once' }), withCassette('conc-b', run('b', 3), { dir, mode: 'once' })]);
    expect(a).toHaveLength(5);
    expect(b).toHaveLength(3);
    const fileA = readFileSync(join(dir, 'conc-a.yaml'), 'utf8');
    const fileB = readFileSync(join(dir, 'conc-b.yaml'), 'utf8');
    expect(fileA.match(/- key:/g)).toHaveLength(5);
    expect(fileB.match(/- key:/g)).toHaveLength(3);
    expect(fileA).not.toContain('tag: b');
    expect(fileB).not.toContain('tag: a');
    const [ra, rb] = await Promise.all([
      withCassette('conc-a', run('a', 5), { dir, mode: 'none' }),
      withCassette('conc-b', run('b', 3), { dir, mode: 'none' }),
    ]);
    expect(ra).toEqual(a);
    expect(rb).toEqual(b);
  });
});

describe('SDK clients built before the package was imported', () => {
  test('openai and anthropic clients constructed first are still intercepted (fresh process, built package)', async () => {
    const dir = dirOf();
    const local = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-early',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'early bird' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
      );
    });
    const script = `
      import OpenAI from 'openai';
      const client = new OpenAI({ apiKey: 'sk-early-client-123456', baseURL: process.argv[1] + '/v1', maxRetries: 0 });
      const { withCassette } = await import('cassettes');
      const out = await withCassette('early', () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), { dir: process.argv[2], mode: process.argv[3] });
      console.log(JSON.stringify(out.choices[0].message.content));
    `;
    // async: the server lives in this process and must keep answering while the child runs
    const run = async (mode: string): Promise<string> =>
      (
        await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, local.url, dir, mode], { cwd: resolve(__dirname, '../..') })
      ).stdout.trim();
    expect(await run('once')).toBe('"early bird"');
    expect(local.seen).toHaveLength(1);
    await local.close();
    expect(await run('none')).toBe('"early bird"');
  });
});

describe('what importing cassettes leaves alone', () => {
  test("the global Headers, Request and Response stay the platform's own, and node:http is still intercepted (fresh process, built package)", async () => {
    const dir = dirOf();
    const script = `
      import http from 'node:http';
      const before = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response, append: Headers.prototype.append, set: Headers.prototype.set };
      const { withCassette } = await import('cassettes');
      const after = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response, append: Headers.prototype.append, set: Headers.prototype.set };
      const same = Object.keys(before).filter((k) => before[k] === after[k]);
      const get = (url) => new Promise((resolve, reject) => {
        http.get(url, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(res.statusCode + ' ' + body)); }).on('error', reject);
      });
      const answer = await withCassette('http-after-import', () => get(process.argv[1] + '/hello'), { dir: process.argv[2], mode: process.argv[3] });
      console.log(JSON.stringify({ same, answer }));
    `;
    const run = async (mode: string) =>
      JSON.parse(
        (await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, server.url, dir, mode], { cwd: resolve(__dirname, '../..') }))
          .stdout,
      ) as { same: string[]; answer: string };
    const recorded = await run('all');
    expect(recorded.same).toEqual(['Headers', 'Request', 'Response', 'append', 'set']);
    expect(recorded.answer).toMatch(/^200 /);
    expect(readFileSync(join(dir, 'http-after-import.yaml'), 'utf8')).toContain('/hello');
    expect(await run('none')).toEqual(recorded);
  });
});

describe('bodies the app never reads', () => {
  test('a large body left unread neither blocks recording nor replay', async () => {
    const big = 'x'.repeat(2_000_000);
    const local = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(big);
    });
    const dir = dirOf();
    const statusOnly = (): Promise<number> => fetch(`${local.url}/big`).then((r) => r.status);
    expect(await withCassette('unread', statusOnly, { dir, mode: 'once' })).toBe(200);
    expect(readFileSync(join(dir, 'unread.yaml'), 'utf8').length).toBeGreaterThan(big.length);
    await local.close();
    expect(await withCassette('unread', statusOnly, { dir, mode: 'none' })).toBe(200);
  });
});
