import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { requestKey, withCassette } from '../../src/index.js';
import { bodyForMatching } from '../../src/match/body.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

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
      await withCassette('debug', () => fetch(`${server.url}/v1/x?key=SECRET-QUERY-KEY`, { method: 'POST', body: '{}' }).then((r) => r.text()), {
        dir,
        mode: 'once',
      });
    } finally {
      delete process.env['LLM_CASSETTE_DEBUG'];
      spy.mockRestore();
    }
    const ours = lines.filter((l) => l.startsWith('cassettes:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^cassettes: record POST http:\/\/127\.0\.0\.1:\d+\/v1\/x\?key=%5BREDACTED%5D key=[0-9a-f]{12} cassette=.*debug\.yaml\n$/);
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
    const dir = dirOf();
    const calls = (signal: AbortSignal) => (): Promise<unknown[]> =>
      Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/v1/x`, { method: 'POST', body: `{"i":${i}}`, signal }).then((r) => r.json())));
    // undici's own fetch (the recording) leaves its listeners to the garbage collector, which may
    // remove them at any time: the replays get a signal of their own
    await withCassette('shared-signal', calls(new AbortController().signal), { dir, mode: 'once' });
    const shared = new AbortController();
    const replayed = await withCassette('shared-signal', calls(shared.signal), { dir, mode: 'none' });
    expect(replayed).toHaveLength(20);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });
});

describe('replayed bytes belong to the reader', () => {
  const streamed = (content: string) => async (): Promise<Uint8Array[]> => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content }] }),
    });
    const chunks: Uint8Array[] = [];
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(value);
    }
  };
  const text = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

  test('a reader that overwrites its chunks spoils neither a repeated replay nor the next recording of the same request', async () => {
    const dir = dirOf();
    const live = await withCassette('owned', async () => [await streamed('one two three')(), await streamed('one two three')()], { dir, mode: 'all' });
    expect(live[0]!.length).toBeGreaterThan(2);

    const scribble = (chunks: Uint8Array[]): void => {
      for (const chunk of chunks) chunk.fill(0x21);
    };
    // each recording once, in order: handed over as prepared at load
    const once = await withCassette(
      'owned',
      async () => {
        const first = await streamed('one two three')();
        const copy = first.map((chunk) => Uint8Array.from(chunk));
        scribble(first);
        return [copy, await streamed('one two three')()];
      },
      { dir, mode: 'none' },
    );
    expect(once.map((chunks) => chunks.map((c) => c.length))).toEqual(live.map((chunks) => chunks.map((c) => c.length)));
    expect(once.map(text)).toEqual(live.map(text));
    // the same recording again and again: a copy each time
    const repeated = await withCassette(
      'owned',
      async () => {
        const out: string[] = [];
        for (let i = 0; i < 4; i++) {
          const chunks = await streamed('one two three')();
          out.push(text(chunks));
          scribble(chunks);
        }
        return out;
      },
      { dir, mode: 'none', allowPlaybackRepeats: true },
    );
    expect(repeated).toEqual([text(live[0]!), text(live[1]!), text(live[1]!), text(live[1]!)]);
    expect(repeated.join('')).not.toContain('!!!');
  });
});
