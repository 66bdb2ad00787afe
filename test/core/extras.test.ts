import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { requestKey, withCassette } from '../../src/index.js';
import { bodyForMatching } from '../../src/match/body.js';
import { echoHandler, startLocalServer, type LocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'llmc-extras-'));

describe('multipart bodies', () => {
  test('the random boundary does not change the key; the parts do', () => {
    const form = (boundary: string, content: string): unknown =>
      bodyForMatching(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n\r\n${content}\r\n--${boundary}--\r\n`),
        `multipart/form-data; boundary=${boundary}`,
      );
    const key = (body: unknown): string => requestKey({ method: 'POST', url: 'https://api.openai.com/v1/files', headers: {}, body });
    expect(key(form('----formdata-undici-0123456789', '{"a":1}'))).toBe(key(form('----formdata-undici-9876543210', '{"a":1}')));
    expect(key(form('----formdata-undici-0123456789', '{"a":1}'))).not.toBe(key(form('----formdata-undici-0123456789', '{"a":2}')));
  });

  test('a FormData upload through fetch records and replays', async () => {
    const dir = dirOf();
    const upload = (): Promise<number> => {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob(['{"custom_id":"1"}\n']), 'batch.jsonl');
      return fetch(`${server.url}/v1/files`, { method: 'POST', body: form }).then((r) => r.status);
    };
    expect(await withCassette('upload', upload, { dir, mode: 'once' })).toBe(200);
    const seen = server.seen.length;
    expect(await withCassette('upload', upload, { dir, mode: 'none' })).toBe(200);
    expect(server.seen.length).toBe(seen);
  });
});

describe('network blocking and debugging', () => {
  test('blockNetwork fails requests made outside any cassette, and can be lifted', async () => {
    const dir = dirOf();
    await withCassette('block', async () => undefined, { dir, mode: 'once', blockNetwork: true });
    const blocked = await fetch(`${server.url}/v1/x`).then(
      () => 'went through',
      (e: Error & { cause?: Error }) => String(e.cause?.message ?? e.message),
    );
    expect(blocked).toContain('network blocked outside a cassette');
    await withCassette('block', async () => undefined, { dir, mode: 'once', blockNetwork: false });
    expect((await fetch(`${server.url}/v1/x`)).status).toBe(200);
  });

  test('LLM_CASSETTE_DEBUG=1 logs one line per request: what happened, the key, the cassette', async () => {
    const dir = dirOf();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    process.env['LLM_CASSETTE_DEBUG'] = '1';
    try {
      await withCassette('debug', () => fetch(`${server.url}/v1/x?key=SECRET-QUERY-KEY`, { method: 'POST', body: '{}' }).then((r) => r.text()), { dir, mode: 'once' });
    } finally {
      delete process.env['LLM_CASSETTE_DEBUG'];
      spy.mockRestore();
    }
    const ours = lines.filter((l) => l.startsWith('llm-cassette:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^llm-cassette: record POST http:\/\/127\.0\.0\.1:\d+\/v1\/x\?key=%5BREDACTED%5D key=[0-9a-f]{12} cassette=.*debug\.yaml\n$/);
    expect(ours[0]).not.toContain('SECRET-QUERY-KEY');
  });
});

describe('configure()', () => {
  test('configure({ blockNetwork }) takes effect at once', async () => {
    const { configure, resetConfiguration } = await import('../../src/index.js');
    configure({ blockNetwork: true });
    try {
      await expect(fetch(`${server.url}/v1/x`)).rejects.toThrow();
    } finally {
      resetConfiguration();
    }
    expect((await fetch(`${server.url}/v1/x`)).status).toBe(200);
  });
});

describe('replays leave nothing behind', () => {
  test('a signal shared by many replayed calls keeps no abort listeners once bodies are read', async () => {
    const { getEventListeners } = await import('node:events');
    const dir = dirOf();
    const shared = new AbortController();
    const calls = (): Promise<unknown[]> =>
      Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/v1/x`, { method: 'POST', body: `{"i":${i}}`, signal: shared.signal }).then((r) => r.json())));
    await withCassette('shared-signal', calls, { dir, mode: 'once' });
    // undici's own fetch (the recording) leaves its listeners for the garbage collector: count ours
    const before = getEventListeners(shared.signal, 'abort').length;
    const replayed = await withCassette('shared-signal', calls, { dir, mode: 'none' });
    expect(replayed).toHaveLength(20);
    expect(getEventListeners(shared.signal, 'abort').length - before).toBe(0);
  });
});
