import { subscribe as subscribeChannel } from 'node:diagnostics_channel';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CassetteEvent, type CassetteReport, CHANNELS, subscribe, withCassette } from '../../src/index.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    if (request.url.startsWith('/stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":1}}}\n\n');
      res.end('data: {"type":"message_delta","usage":{"output_tokens":30}}\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } }));
  });
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'cassettes-events-'));
const ask = (path: string): Promise<string> =>
  fetch(`${server.url}${path}?key=AIzaSyD-events-secret-value`, { method: 'POST', body: '{"q":1}' }).then((r) => r.text());

describe('events', () => {
  test('a subscriber sees cassette start, each request (recorded, then replayed) with scrubbed URL, status, bytes, chunks and usage, and cassette end', async () => {
    const dir = dirOf();
    const events: CassetteEvent[] = [];
    const unsubscribe = subscribe((event) => events.push(event));
    try {
      await withCassette('events', async () => [await ask('/json'), await ask('/stream')], { dir, mode: 'once' });
      await withCassette('events', async () => [await ask('/json'), await ask('/stream')], { dir, mode: 'none' });
    } finally {
      unsubscribe();
    }
    expect(events.map((e) => (e.type === 'request' ? `${e.type}:${e.outcome}` : e.type))).toEqual([
      'cassette:start',
      'request:recorded',
      'request:recorded',
      'cassette:end',
      'cassette:start',
      'request:replayed',
      'request:replayed',
      'cassette:end',
    ]);
    const requests = events.filter((e) => e.type === 'request');
    for (const r of requests) {
      expect(r.url).not.toContain('events-secret');
      expect(r.cassette?.file).toBe(join(dir, 'events.yaml'));
      expect(r.status).toBe(200);
      expect(r.key).toMatch(/^[0-9a-f]{12}$/);
      expect(r.bytes).toBeGreaterThan(0);
    }
    // replayed: the JSON answer, then the stream (whose usage comes in two events)
    expect(requests[2]).toMatchObject({ chunks: 1, usage: { inputTokens: 7, outputTokens: 5 } });
    expect(requests[3]).toMatchObject({ chunks: requests[1]!.chunks, usage: { inputTokens: 12, outputTokens: 30 } });
    const end = events.at(-1) as Extract<CassetteEvent, { type: 'cassette:end' }>;
    expect(end.report).toMatchObject({ replayed: 2, tokensReplayed: { inputTokens: 19, outputTokens: 35 } });
  });

  test('the channels are plain diagnostics_channel channels named cassettes:*', async () => {
    const seen: unknown[] = [];
    const listener = (message: unknown): void => void seen.push(message);
    subscribeChannel(CHANNELS.cassetteStart, listener);
    await withCassette('plain', () => 1, { dir: dirOf(), mode: 'new' });
    expect(Object.values(CHANNELS).every((name) => name.startsWith('cassettes:'))).toBe(true);
    expect(seen).toHaveLength(1);
  });

  test('the report counts bytes and tokens replayed, and the time saved at instant timing', async () => {
    const dir = dirOf();
    await withCassette('saved', () => ask('/stream'), { dir, mode: 'once' });
    let report: CassetteReport | undefined;
    await withCassette('saved', () => ask('/stream'), { dir, mode: 'none', onReport: (r) => (report = r) });
    expect(report?.bytesReplayed).toBe(
      Buffer.byteLength(
        'data: {"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":1}}}\n\ndata: {"type":"message_delta","usage":{"output_tokens":30}}\n\n',
      ),
    );
    expect(report?.tokensReplayed).toEqual({ inputTokens: 12, outputTokens: 30 });
    expect(report?.timeSavedMs).toBeGreaterThanOrEqual(0);
  });
});

describe('events outside any cassette', () => {
  test('a request outside any cassette publishes an event with outcome outside and its scrubbed URL', async () => {
    const events: CassetteEvent[] = [];
    const unsubscribe = subscribe((event) => events.push(event));
    try {
      await fetch(`${server.url}/json?key=AIzaSyD-outside-secret-value`, { method: 'POST', body: '{}' }).then((r) => r.text());
    } finally {
      unsubscribe();
    }
    const outside = events.filter((e) => e.type === 'request' && e.outcome === 'outside');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ cassette: undefined, method: 'POST' });
    expect((outside[0] as { url: string }).url).not.toContain('outside-secret');
  });
});
