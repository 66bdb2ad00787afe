/**
 * cassettes/propagate in this process: an inbound request that carries a session (header or
 * cookie) runs in a context whose calls to the cassettes server carry it on; other calls, and
 * requests without a session, are left alone.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runWithSession, sessionOfRequest } from '../../src/entries/propagate.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

let target: LocalServer;
let other: LocalServer;
let app: { url: string; close: () => Promise<void> };
const before = process.env['CASSETTES_URL'];

const ok = (_request: unknown, res: import('node:http').ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

/** POST with node:http, the other transport the interceptors cover. */
function viaHttp(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

beforeAll(async () => {
  target = await startLocalServer(ok);
  other = await startLocalServer(ok);
  process.env['CASSETTES_URL'] = target.url;
  const server = createServer(async (req, res) => {
    // the app's outbound calls, after an await: the context must survive it
    await new Promise((r) => setTimeout(r, 1));
    await fetch(`${target.url}/openai/v1/chat/completions`, { method: 'POST', body: '{}' });
    await viaHttp(`${target.url}/anthropic/v1/messages`);
    await fetch(`${other.url}/elsewhere`, { method: 'POST', body: '{}' });
    res.end(sessionOfRequest(req) ?? 'none');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
});

afterAll(async () => {
  await Promise.all([target.close(), other.close(), app.close()]);
  if (before === undefined) delete process.env['CASSETTES_URL'];
  else process.env['CASSETTES_URL'] = before;
});

const sessionsSeen = (server: LocalServer): (string | undefined)[] => server.seen.map((r) => r.headers['x-cassette-session'] as string | undefined);

test('the session of an inbound request (header, cookie, none) reaches its calls to the cassettes server over fetch and node:http, and no other host', async () => {
  const answers = await Promise.all([
    fetch(app.url, { headers: { 'x-cassette-session': 'by-header' } }).then((r) => r.text()),
    fetch(app.url, { headers: { cookie: 'a=1; cassettes-session=by-cookie; b=2' } }).then((r) => r.text()),
    fetch(app.url).then((r) => r.text()),
    fetch(app.url, { headers: { 'x-cassette-session': 'bad id!' } }).then((r) => r.text()),
  ]);
  expect(answers).toEqual(['by-header', 'by-cookie', 'none', 'none']);
  expect(sessionsSeen(target).sort()).toEqual(['by-cookie', 'by-cookie', 'by-header', 'by-header', undefined, undefined, undefined, undefined].sort());
  for (const id of ['by-header', 'by-cookie']) {
    expect(
      target.seen
        .filter((r) => r.headers['x-cassette-session'] === id)
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/anthropic/v1/messages', '/openai/v1/chat/completions']);
  }
  expect(sessionsSeen(other)).toEqual([undefined, undefined, undefined, undefined]);
});

test('runWithSession attributes work outside any inbound request', async () => {
  const seen = target.seen.length;
  await runWithSession('from-a-job', () => fetch(`${target.url}/openai/v1/embeddings`, { method: 'POST', body: '{}' }));
  await fetch(`${target.url}/openai/v1/embeddings`, { method: 'POST', body: '{}' });
  expect(sessionsSeen(target).slice(seen)).toEqual(['from-a-job', undefined]);
});
