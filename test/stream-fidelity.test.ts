/**
 * Streams at the byte level (raw fetch) and through the SDKs: chunk boundaries, timing, gzip,
 * CRLF framing, truncated tails, resets, aborts, early `break`, retries and fake timers.
 * Everything is recorded at run time into a temp dir from the real fixtures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type CassetteOptions, type CassetteReport, cassetteFile, withCassette } from '../src/index.js';
import { type FixtureServer, startFixtureServer } from './support/fixture-server.js';
import { type FixtureExchange, fixturesAvailable, loadFixtures, sseEvents } from './support/fixtures.js';
import { API_KEYS, anthropicClient, innermostCode, openaiClient, runCall, serializeError, specOf } from './support/sdk-calls.js';

const available = fixturesAvailable();
if (!available) console.warn('stream-fidelity: SKIPPED — ../shared/fixtures/real not found, no stream fidelity coverage');
const suite = available ? describe : describe.skip;

/** Real clock, captured before any test fakes timers. */
const realNow = performance.now.bind(performance);

const exchanges: FixtureExchange[] = available ? loadFixtures().flatMap((f) => f.exchanges) : [];
const byId = (id: string): FixtureExchange => {
  // describe.skip still runs describe bodies to collect them: nothing to look up then
  if (!available) return undefined as unknown as FixtureExchange;
  const found = exchanges.find((e) => e.id === id);
  if (!found) throw new Error(`fixture exchange not found: ${id}`);
  return found;
};
const streamed = exchanges.filter((e) => e.response.streamed);

const dir = mkdtempSync(join(tmpdir(), 'llmc-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BASE: CassetteOptions = { dir, normalizeOrigin: true };

// --- helpers -----------------------------------------------------------------

interface SseEventYaml {
  comments?: string[];
  event?: string;
  id?: string;
  retry?: number;
  data?: unknown;
  dataText?: string;
}
interface StoredChunkYaml {
  atMs: number;
  /** Readable view of complete SSE events (docs: present only where it renders to the exact bytes). */
  events?: SseEventYaml[];
  eol?: 'crlf';
  text?: string;
  base64?: string;
}
interface InteractionYaml {
  request: { url: string; headers: Record<string, string> };
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    contentEncoding?: string;
    headersAtMs: number;
    chunks?: StoredChunkYaml[];
    body?: unknown;
    end?: { state: string; atMs: number; error?: { name: string; code?: string; message: string } };
  };
  error?: { name: string; code?: string };
}

function readCassette(name: string): { text: string; interactions: InteractionYaml[] } {
  const text = readFileSync(cassetteFile(name, dir), 'utf8');
  return { text, interactions: (parseYaml(text) as { interactions: InteractionYaml[] }).interactions };
}

/**
 * The bytes a stored chunk stands for, decoded here independently of the library's own renderer
 * (SSE wire format: `:comment`, `event:`, `id:`, `retry:`, one `data:` line per line, blank line).
 */
function chunkBytes(chunk: StoredChunkYaml): Buffer {
  if (chunk.events !== undefined) {
    const nl = chunk.eol === 'crlf' ? '\r\n' : '\n';
    let out = '';
    for (const e of chunk.events) {
      for (const comment of e.comments ?? []) out += `:${comment}${nl}`;
      if (e.event !== undefined) out += `event: ${e.event}${nl}`;
      if (e.id !== undefined) out += `id: ${e.id}${nl}`;
      if (e.retry !== undefined) out += `retry: ${e.retry}${nl}`;
      const data = e.data !== undefined ? JSON.stringify(e.data) : e.dataText;
      if (data !== undefined) for (const line of data.split('\n')) out += `data: ${line}${nl}`;
      out += nl;
    }
    return Buffer.from(out, 'utf8');
  }
  return chunk.text !== undefined ? Buffer.from(chunk.text, 'utf8') : Buffer.from(chunk.base64 ?? '', 'base64');
}

function authHeaders(e: FixtureExchange): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (e.provider === 'gemini') headers['x-goog-api-key'] = API_KEYS.gemini;
  else if (e.provider === 'anthropic') headers['x-api-key'] = API_KEYS.anthropic;
  else headers['authorization'] = `Bearer ${API_KEYS.openai}`;
  return headers;
}

function post(url: string, e: FixtureExchange, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = { method: e.request.method, headers: authHeaders(e), body: e.request.bodyText ?? '{}' };
  if (signal) init.signal = signal;
  return fetch(`${url}${e.request.path}`, init);
}

interface Read {
  status: number;
  chunks: Buffer[];
  error?: { name: string; code: string | null; message: string };
}

/** Reads the body chunk by chunk in a tight loop, keeping boundaries; an error ends the read. */
async function readChunks(res: Response, stopAfter = Infinity, onChunk?: (n: number) => void): Promise<Read> {
  const chunks: Buffer[] = [];
  const reader = res.body!.getReader();
  try {
    while (chunks.length < stopAfter) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      onChunk?.(chunks.length);
    }
    if (chunks.length >= stopAfter) await reader.cancel();
    return { status: res.status, chunks };
  } catch (error) {
    const e = error as Error;
    return { status: res.status, chunks, error: { name: e.name, code: innermostCode(error), message: e.message } };
  }
}

async function record<T>(
  name: string,
  e: FixtureExchange[],
  fn: (url: string, server: FixtureServer) => Promise<T>,
  server?: FixtureServer,
): Promise<{ value: T; url: string }> {
  const own = server ?? (await startFixtureServer({ gapMs: 5 }));
  own.enqueue(...e);
  try {
    const value = await withCassette(name, () => fn(own.url, own), { ...BASE, mode: 'once' });
    return { value, url: own.url };
  } finally {
    await own.close();
  }
}

function replay<T>(name: string, fn: () => Promise<T>, extra: CassetteOptions = {}): Promise<T> {
  return withCassette(name, fn, { ...BASE, mode: 'none', ...extra });
}

function expectSameBytes(actual: Buffer[], expected: Buffer[], label: string): void {
  expect(actual.length, `${label}: chunk count`).toBe(expected.length);
  for (const [i, chunk] of actual.entries()) expect(chunk.equals(expected[i]!), `${label}: chunk #${i} differs`).toBe(true);
}

// --- every streamed exchange ---------------------------------------------------

suite('stream fidelity', () => {
  test('there are 29 streamed exchanges', () => {
    expect(streamed).toHaveLength(29);
  });

  describe.each(streamed.map((e) => [e.id, e] as const))('%s', (id, e) => {
    test('chunks replay byte for byte at every timing; recorded and speed timings wait at least the scaled recorded time', async () => {
      const name = `fidelity/${id}`;
      const { value: live, url } = await record(name, [e], async (u) => readChunks(await post(u, e)));
      expect(live.error).toBeUndefined();
      expect(live.status).toBe(e.response.status);
      expect(Buffer.concat(live.chunks).equals(e.response.body), 'live body').toBe(true);

      const { text, interactions } = readCassette(name);
      for (const key of Object.values(API_KEYS)) expect(text).not.toContain(key);
      expect(interactions).toHaveLength(1);
      const response = interactions[0]!.response!;
      expect(response.end?.state).toBe('completed');
      const stored = (response.chunks ?? []).map(chunkBytes);
      expect(stored.length).toBeGreaterThan(0);
      expect(Buffer.concat(stored).equals(e.response.body), 'stored chunks concatenate to the decoded body').toBe(true);
      if (e.response.status < 300) {
        // the server flushed one frame per 5 ms: the recording must have kept them apart
        expect(stored.length).toBeGreaterThanOrEqual(Math.max(1, Math.floor(sseEvents(e.response.body).length / 2)));
      }
      const offsets = response.chunks!.map((c) => c.atMs);
      expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
      const lastAt = offsets.at(-1)!;

      // instant: same boundaries, same bytes
      const instant = await replay(name, async () => readChunks(await post(url, e)), { timing: 'instant' });
      expect(instant.status).toBe(e.response.status);
      expect(instant.error).toBeUndefined();
      expectSameBytes(instant.chunks, stored, 'instant');

      // recorded: about as long as the recording took. (Boundaries at timed modes have their own
      // test further down.)
      let t0 = realNow();
      const paced = await replay(name, async () => readChunks(await post(url, e)), { timing: 'recorded' });
      const pacedMs = realNow() - t0;
      expect(paced.error).toBeUndefined();
      expect(Buffer.concat(paced.chunks).equals(Buffer.concat(stored)), 'recorded: bytes').toBe(true);
      expect(pacedMs).toBeGreaterThanOrEqual(0.8 * lastAt);

      // speed 10: at least a tenth of the recorded time. (How close to it is measured by
      // `npm run bench`, scenario C: an upper bound here would be a timed assertion.)
      t0 = realNow();
      const fast = await replay(name, async () => readChunks(await post(url, e)), { timing: { speed: 10 } });
      const fastMs = realNow() - t0;
      expect(fast.error).toBeUndefined();
      expect(Buffer.concat(fast.chunks).equals(Buffer.concat(stored)), 'speed 10: bytes').toBe(true);
      expect(fastMs).toBeGreaterThanOrEqual((0.8 * lastAt) / 10);
    });
  });

  // --- encoding and framing --------------------------------------------------------

  test('gzip SSE is stored decoded with contentEncoding: gzip and replays to fetch and the SDK', async () => {
    const e = byId('anthropic/messages-stream-thinking-gzip-ratelimit#0');
    expect(e.response.encoding).toBe('gzip');
    const name = 'gzip/anthropic';
    const { value: live, url } = await record(name, [e, e], async (u) => {
      const res = await post(u, e);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const raw = await readChunks(res);
      const sdk = await runCall(specOf(e), { baseUrl: u });
      return { raw, sdk };
    });
    expect(Buffer.concat(live.raw.chunks).equals(e.response.body)).toBe(true);

    const { text, interactions } = readCassette(name);
    expect(text).toContain('contentEncoding: gzip');
    for (const i of interactions) {
      expect(i.response?.contentEncoding).toBe('gzip');
      expect(Object.keys(i.response!.headers)).not.toContain('content-encoding');
      expect(chunkBytes(i.response!.chunks![0]!).toString('utf8')).toMatch(/^event: message_start\n/);
    }

    const replayed = await replay(name, async () => {
      const res = await post(url, e);
      // the stored body is decoded: it must not be announced as gzip again
      expect(res.headers.get('content-encoding')).toBeNull();
      const raw = await readChunks(res);
      const sdk = await runCall(specOf(e), { baseUrl: url });
      return { raw, sdk };
    });
    expect(Buffer.concat(replayed.raw.chunks).equals(e.response.body)).toBe(true);
    expectSameBytes(replayed.raw.chunks, interactions[0]!.response!.chunks!.map(chunkBytes), 'gzip replay');
    expect(replayed.sdk).toEqual(live.sdk);
    expect((live.sdk as { final?: unknown }).final).toBeTruthy();
  });

  test('Gemini CRLF framing survives the YAML round trip byte for byte', async () => {
    const e = byId('gemini/stream-sse-text#0');
    expect(e.response.body.includes('\r\n\r\n')).toBe(true);
    const name = 'crlf/gemini';
    const { url } = await record(name, [e], async (u) => readChunks(await post(u, e)));
    const stored = readCassette(name).interactions[0]!.response!.chunks!;
    expect(stored.length).toBe(sseEvents(e.response.body).length);
    for (const chunk of stored) expect(chunkBytes(chunk).toString('utf8')).toMatch(/^data: \{.*\}\r\n\r\n$/s);
    // the readable view must say CRLF, or it would render LF frames
    for (const chunk of stored) if (chunk.events) expect(chunk.eol).toBe('crlf');
    const replayed = await replay(name, async () => readChunks(await post(url, e)));
    expectSameBytes(replayed.chunks, sseEvents(e.response.body), 'crlf');
    expect(Buffer.concat(replayed.chunks).toString('latin1')).not.toMatch(/[^\r]\n/);
  });

  test('a stream without a final newline keeps its unterminated tail (fetch and SDK)', async () => {
    const base = byId('openai/chat-stream-tools-ratelimit#1');
    const body = Buffer.from(base.response.body.toString('utf8').replace(/\n+$/, ''));
    expect(body.toString('utf8').endsWith('data: [DONE]')).toBe(true);
    const e: FixtureExchange = { ...base, id: 'synthetic/no-final-newline', response: { ...base.response, body } };
    const name = 'tail/openai';
    const { value: live, url } = await record(name, [e, e], async (u) => ({
      raw: await readChunks(await post(u, e)),
      sdk: await runCall(specOf(e), { baseUrl: u }),
    }));
    expect(Buffer.concat(live.raw.chunks).equals(body)).toBe(true);
    const stored = readCassette(name).interactions[0]!.response!.chunks!;
    expect(stored.at(-1)?.text?.endsWith('data: [DONE]')).toBe(true);

    const replayed = await replay(name, async () => ({
      raw: await readChunks(await post(url, e)),
      sdk: await runCall(specOf(e), { baseUrl: url }),
    }));
    expectSameBytes(replayed.raw.chunks, stored.map(chunkBytes), 'tail');
    expect(replayed.sdk).toEqual(live.sdk);
  });

  /** Frames the readable SSE view (`events:` in the cassette) has to keep byte-exact or leave as text. */
  const TRICKY_FRAMES = [
    'event: a\ndata: {"b":1,"1":2}\n\n', // integer-like keys: JSON.parse reorders them
    'data: {"t":"line\u2028sep and \\u0000 nul"}\n\n',
    'data: {"n":12345678901234567890,"f":1.0,"z":-0}\n\n',
    ': keep-alive\n\n',
    'id: 7\nretry: 1000\ndata: first\ndata: second\n\n',
    'data:{"nospace":true}\n\n',
    'data: {"s":"true","num":"1e3","o":"0o17","nul":"null","e":"","<<":{"a":1},"#":"# x: - y"}\n\n',
    'data: {"emoji":"😀","spaces":"  lead and trail  "}\n\n',
    'data: {"padded": true}\n\n',
    'data: [DONE]\n\n',
  ];

  test('unusual SSE frames survive the readable events view byte for byte', async () => {
    const base = byId('openai/chat-stream-tools-ratelimit#1');
    const body = Buffer.from(TRICKY_FRAMES.join(''), 'utf8');
    const e: FixtureExchange = { ...base, id: 'synthetic/tricky-sse', response: { ...base.response, body } };
    expect(sseEvents(body)).toHaveLength(TRICKY_FRAMES.length);
    const name = 'tricky/sse';
    const { value: live, url } = await record(name, [e], async (u) => readChunks(await post(u, e)));
    expect(Buffer.concat(live.chunks).equals(body)).toBe(true);
    const stored = readCassette(name).interactions[0]!.response!.chunks!;
    expect(Buffer.concat(stored.map(chunkBytes)).toString('utf8')).toBe(body.toString('utf8'));
    expect(
      stored.some((c) => c.events !== undefined),
      'some frames use the readable view',
    ).toBe(true);
    const replayed = await replay(name, async () => readChunks(await post(url, e)));
    expectSameBytes(replayed.chunks, stored.map(chunkBytes), 'tricky');
    expect(Buffer.concat(replayed.chunks).toString('utf8')).toBe(body.toString('utf8'));
  });

  // Regression: the redactor once copied objects with `out[key] = …`, which turns a "__proto__"
  // key into the copy's prototype and drops it from every JSON value it walks.
  test('a "__proto__" key in SSE event data is kept in the cassette', async () => {
    const base = byId('openai/chat-stream-tools-ratelimit#1');
    const body = Buffer.from('data: {"__proto__":{"x":1},"y":2}\n\ndata: [DONE]\n\n', 'utf8');
    const e: FixtureExchange = { ...base, id: 'synthetic/proto-sse', response: { ...base.response, body } };
    const { url } = await record('regress/proto-sse', [e], async (u) => readChunks(await post(u, e)));
    const replayed = await replay('regress/proto-sse', async () => readChunks(await post(url, e)));
    expect(Buffer.concat(replayed.chunks).toString('utf8')).toBe(body.toString('utf8'));
  });

  test('a "__proto__" key in a JSON response body is kept in the cassette', async () => {
    const base = byId('openai/chat-nonstream-simple#0');
    const body = Buffer.from('{"id":"x","__proto__":{"polluted":true},"object":"chat.completion"}', 'utf8');
    const e: FixtureExchange = { ...base, id: 'synthetic/proto-json', response: { ...base.response, body } };
    const { value: live, url } = await record('regress/proto-json', [e], async (u) => (await post(u, e)).text());
    expect(live).toBe(body.toString('utf8'));
    const replayed = await replay('regress/proto-json', async () => (await post(url, e)).text());
    expect(replayed).toBe(live);
  });

  // Regression: a chunk whose deadline has already passed (same atMs as the previous one, or a
  // sub-millisecond gap at { speed: n }) must still get a turn of its own, or fetch merges it
  // with the previous one into one read.
  test('timed replay ({ speed: 10 }) keeps chunk boundaries', async () => {
    const e = byId('openai/chat-stream-tools-ratelimit#1');
    const name = 'regress/timed-boundaries';
    const { url } = await record(name, [e], async (u) => readChunks(await post(u, e)));
    const stored = readCassette(name).interactions[0]!.response!.chunks!.map(chunkBytes);
    expect(stored.length).toBeGreaterThan(10);
    const fast = await replay(name, async () => readChunks(await post(url, e)), { timing: { speed: 10 } });
    expect(Buffer.concat(fast.chunks).equals(Buffer.concat(stored))).toBe(true);
    expectSameBytes(fast.chunks, stored, 'speed 10');
  });

  // --- failures ----------------------------------------------------------------------

  describe('connection reset mid-stream', () => {
    const e = byId('anthropic/messages-stream-text-ratelimit#0');
    const oa = byId('openai/chat-stream-tools-ratelimit#1');

    async function recordReset<T>(name: string, x: FixtureExchange, fn: (url: string) => Promise<T>): Promise<{ value: T; url: string }> {
      const server = await startFixtureServer({ gapMs: 5 });
      server.resetAfterChunks(2);
      return record(name, [x], fn, server);
    }

    // Replays below use timing 'recorded'; `instant` has its own tests further down.
    test('fetch: error after 2 chunks live; replay serves the same 2 chunks, then fails', async () => {
      const name = 'reset/fetch';
      const { value: live, url } = await recordReset(name, e, async (u) => readChunks(await post(u, e)));
      const frames = sseEvents(e.response.body);
      expect(live.error, 'the live read must fail').toBeDefined();
      expect(live.error?.name).toBe('TypeError');
      expect(live.error?.code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
      expect(Buffer.concat(live.chunks).equals(Buffer.concat(frames.slice(0, 2)))).toBe(true);

      const response = readCassette(name).interactions[0]!.response!;
      expect(response.end?.state).toBe('failed');
      expect(Buffer.concat(response.chunks!.map(chunkBytes)).equals(Buffer.concat(frames.slice(0, 2)))).toBe(true);

      const replayed = await replay(name, async () => readChunks(await post(url, e)), { timing: 'recorded' });
      expectSameBytes(replayed.chunks, response.chunks!.map(chunkBytes), 'reset replay');
      expect(replayed.error, 'the replayed read must fail too').toBeDefined();
      expect(replayed.error?.name).toBe(live.error?.name);
    });

    test('SDK (openai chat stream): same events, then an error', async () => {
      const name = 'reset/openai-sdk';
      const { value: live, url } = await recordReset(name, oa, (u) => runCall(specOf(oa), { baseUrl: u }));
      const liveResult = live as { events: unknown[]; error?: { name: string; code: string | null } };
      expect(liveResult.error, 'the live stream must fail').toBeDefined();
      expect(liveResult.events.length).toBeGreaterThan(0);

      const replayed = (await replay(name, () => runCall(specOf(oa), { baseUrl: url }), { timing: 'recorded' })) as typeof liveResult;
      expect(replayed.events).toEqual(liveResult.events);
      expect(replayed.error).toBeDefined();
      expect(replayed.error?.name).toBe(liveResult.error?.name);
    });

    // Regression: undici's fetch answers onError by terminating, which aborts request.signal
    // synchronously; the recorder must tell a network failure from the app's abort before that.
    test('a reset is stored as end: failed and replays with the same error code (fetch)', async () => {
      const name = 'regress/reset-fetch';
      const { value: live, url } = await recordReset(name, e, async (u) => readChunks(await post(u, e)));
      expect(live.error?.code).toBeTruthy();
      const response = readCassette(name).interactions[0]!.response!;
      expect(response.end?.state).toBe('failed');
      const replayed = await replay(name, async () => readChunks(await post(url, e)), { timing: 'recorded' });
      expect(replayed.error?.code).toBe(live.error?.code);
    });

    test('a reset replays with the same error code (openai SDK)', async () => {
      const name = 'regress/reset-sdk';
      const { value: live, url } = await recordReset(name, oa, (u) => runCall(specOf(oa), { baseUrl: u }));
      const replayed = await replay(name, () => runCall(specOf(oa), { baseUrl: url }), { timing: 'recorded' });
      expect((live as { error?: unknown }).error).toBeDefined();
      expect(replayed).toEqual(live);
    });

    // Regression: a recorded failure raised in the same turn as the last chunk makes undici
    // destroy the body with that chunk still buffered (live: 2 chunks then the error).
    test('at instant (default) timing the chunk before a recorded failure is still delivered before the error (fetch)', async () => {
      const name = 'regress/reset-instant-fetch';
      const { value: live, url } = await recordReset(name, e, async (u) => readChunks(await post(u, e)));
      expect(live.chunks).toHaveLength(2);
      const replayed = await replay(name, async () => readChunks(await post(url, e)), { timing: 'instant' });
      expect(replayed.error).toBeDefined();
      expect(replayed.chunks).toHaveLength(2);
    });

    test('at instant (default) timing the SDK still gets the event before a recorded failure, as live', async () => {
      const name = 'regress/reset-instant-sdk';
      const { value: live, url } = await recordReset(name, oa, (u) => runCall(specOf(oa), { baseUrl: u }));
      const replayed = (await replay(name, () => runCall(specOf(oa), { baseUrl: url }), { timing: 'instant' })) as { events: unknown[] };
      expect(replayed.events).toEqual((live as { events: unknown[] }).events);
    });
  });

  describe('abort mid-stream', () => {
    const e = byId('openai/responses-stream-logprobs#0');
    const frames = streamed.length > 0 ? sseEvents(e.response.body) : [];

    /** Aborts after 2 chunks; measures how long the pending read takes to reject. */
    async function abortAfterTwo(url: string): Promise<{ read: Read; rejectMs: number }> {
      const controller = new AbortController();
      const res = await post(url, e, controller.signal);
      let abortedAt = 0;
      const read = await readChunks(res, Infinity, (n) => {
        if (n === 2) {
          abortedAt = realNow();
          controller.abort();
        }
      });
      return { read, rejectMs: realNow() - abortedAt };
    }

    test('fetch: while recording and while replaying (instant and recorded): prompt AbortError, nothing hangs', async () => {
      expect(frames.length).toBeGreaterThan(6);
      const cut = 'abort/cut';
      const { value: live } = await record(cut, [e], (u) => abortAfterTwo(u));
      expect(live.read.error?.name).toBe('AbortError');
      expect(live.read.chunks).toHaveLength(2);
      expect(live.rejectMs).toBeLessThan(1000);
      const stored = readCassette(cut).interactions[0]!.response!;
      expect(stored.end?.state).toBe('aborted');
      expect(stored.chunks!.length).toBeGreaterThanOrEqual(2);

      const full = 'abort/full';
      const { url } = await record(full, [e], async (u) => readChunks(await post(u, e)));
      for (const timing of ['instant', 'recorded'] as const) {
        const t0 = realNow();
        const { read, rejectMs } = await replay(full, () => abortAfterTwo(url), { timing });
        expect(read.error?.name, timing).toBe('AbortError');
        expect(read.chunks, timing).toHaveLength(2);
        expect(rejectMs, timing).toBeLessThan(1000);
        if (timing === 'recorded') {
          // aborted long before the recorded end
          const lastAt = readCassette(full).interactions[0]!.response!.chunks!.at(-1)!.atMs;
          expect(realNow() - t0).toBeLessThan(Math.max(lastAt, 1000));
        }
      }
    }, 15_000);

    // Regression: the recorded cut (LLM_CASSETTE_CUT) must come a turn after the last chunk, so
    // an app that aborts right there, as it did while recording, gets its own AbortError.
    test('replaying an aborted recording, the app that aborts at the same point gets AbortError (instant)', async () => {
      const cut = 'regress/abort-cut';
      const { value: live, url } = await record(cut, [e], (u) => abortAfterTwo(u));
      expect(live.read.error?.name).toBe('AbortError');
      const { read } = await replay(cut, () => abortAfterTwo(url), { timing: 'instant' });
      expect(read.chunks).toHaveLength(2);
      expect(read.error?.name).toBe('AbortError');
    });

    test('SDK stream aborted with a signal rejects promptly while recording and replaying', async () => {
      const run = async (url: string): Promise<{ events: number; error: string; ms: number }> => {
        const client = openaiClient({ baseUrl: url });
        const controller = new AbortController();
        const stream = client.responses.stream(e.request.bodyJson as never, { signal: controller.signal });
        let events = 0;
        let abortedAt = 0;
        try {
          for await (const _event of stream) {
            if (++events === 3) {
              abortedAt = realNow();
              controller.abort();
            }
          }
          return { events, error: 'none', ms: 0 };
        } catch (error) {
          return { events, error: serializeError(error).name, ms: realNow() - abortedAt };
        }
      };
      const { value: live } = await record('abort/sdk-cut', [e], run);
      expect(live.error).toBe('APIUserAbortError');
      expect(live.events).toBe(3);
      expect(live.ms).toBeLessThan(1000);
      expect(readCassette('abort/sdk-cut').interactions[0]!.response!.end?.state).toBe('aborted');

      // Replay a complete recording and abort it at the same point. (Replaying the cut recording
      // itself has its own test.)
      const { url } = await record('abort/sdk-full', [e], (u) => runCall(specOf(e), { baseUrl: u }));
      for (const timing of ['instant', 'recorded'] as const) {
        const replayed = await replay('abort/sdk-full', () => run(url), { timing });
        expect(replayed.error, timing).toBe(live.error);
        expect(replayed.events, timing).toBe(live.events);
        expect(replayed.ms, timing).toBeLessThan(1000);
      }
    }, 15_000);
  });

  describe('break out of for await', () => {
    const oa = byId('openai/chat-stream-tools-ratelimit#1');
    const an = byId('anthropic/messages-stream-tool-use-json-delta#0');
    const after = byId('openai/chat-nonstream-simple#0');
    /** Two openai chunks, two anthropic events (or all of them with `stopAt` Infinity), then a plain call. */
    const run = async (url: string, stopAt = 2): Promise<unknown[]> => {
      const events: unknown[] = [];
      const stream = await openaiClient({ baseUrl: url }).chat.completions.create({
        ...(oa.request.bodyJson as object),
        stream: true,
      } as never);
      let n = 0;
      for await (const chunk of stream as unknown as AsyncIterable<unknown>) {
        events.push(JSON.parse(JSON.stringify(chunk)));
        if (++n === stopAt) break;
      }
      const { stream: _s, ...body } = an.request.bodyJson as Record<string, unknown>;
      const messages = anthropicClient({ baseUrl: url }).beta.messages.stream(body as never);
      n = 0;
      for await (const event of messages) {
        // snapshot now: MessageStream keeps mutating message_start's `message`
        events.push(JSON.parse(JSON.stringify(event)));
        if (++n === stopAt) break;
      }
      events.push(await runCall(specOf(after), { baseUrl: url }));
      return events;
    };

    test('while recording: no hang, the cut streams are saved, the next call still works', async () => {
      const { value: live } = await record('break/record', [oa, an, after], (u) => run(u));
      expect(live).toHaveLength(5);
      expect(JSON.stringify(live[4])).toContain('chat.completion');
      const { interactions } = readCassette('break/record');
      expect(interactions.map((i) => i.response?.status)).toEqual([200, 200, 200]);
      for (const i of interactions.slice(0, 2)) expect(['completed', 'aborted']).toContain(i.response?.end?.state);
      expect(interactions[0]!.response!.chunks!.length).toBeGreaterThanOrEqual(1);
    }, 20_000);

    test('while replaying a full recording (instant and recorded): same events up to the break, next call works', async () => {
      const { value: full, url } = await record('break/full', [oa, an, after], (u) => run(u, Infinity));
      const openaiCount = sseEvents(oa.response.body).filter((f) => !f.toString().startsWith('data: [DONE]')).length;
      expect(full.length).toBeGreaterThan(openaiCount + 4);
      const anthropicEvents = full.slice(openaiCount, -1);
      const expected = [...full.slice(0, 2), ...anthropicEvents.slice(0, 2), full.at(-1)];
      for (const timing of ['instant', 'recorded'] as const) {
        let report: CassetteReport | undefined;
        const replayed = await replay('break/full', () => run(url), { timing, onReport: (r) => (report = r) });
        expect(replayed, timing).toEqual(expected);
        expect(report).toMatchObject({ replayed: 3, refused: 0, unused: [] });
      }
    }, 20_000);

    // Same guard for `break`: the SDK must get its turn to break before the recorded cut.
    test('replaying a recording cut by break, the same break works at instant (default) timing', async () => {
      const { value: live, url } = await record('regress/break', [oa, an, after], (u) => run(u));
      const replayed = await replay('regress/break', () => run(url), { timing: 'instant' });
      expect(replayed).toEqual(live);
    }, 20_000);
  });

  // --- retries -----------------------------------------------------------------------

  test('SDK retry after a 429: the cassette holds 429 then 200 and replays to the same result', async () => {
    const e = byId('openai/chat-stream-tools-ratelimit#1');
    const limited: FixtureExchange = {
      ...e,
      id: 'synthetic/429',
      response: {
        status: 429,
        statusText: 'Too Many Requests',
        headers: [
          ['content-type', 'application/json'],
          ['retry-after-ms', '10'],
        ],
        body: Buffer.from(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })),
        streamed: false,
        contentType: 'application/json',
      },
    };
    const name = 'retry/openai';
    const spec = specOf(e);
    const { value: live, url } = await record(name, [limited, e], async (u, server) => {
      const result = await runCall(spec, { baseUrl: u, maxRetries: 2 });
      expect(server.received).toHaveLength(2);
      return result;
    });
    expect((live as { error?: unknown }).error).toBeUndefined();
    expect((live as { final?: unknown }).final).toBeTruthy();
    const { interactions } = readCassette(name);
    expect(interactions.map((i) => i.response?.status)).toEqual([429, 200]);

    let report: CassetteReport | undefined;
    const replayed = await replay(name, () => runCall(spec, { baseUrl: url, maxRetries: 2 }), {
      onReport: (r) => (report = r),
    });
    expect(replayed).toEqual(live);
    expect(report).toMatchObject({ replayed: 2, refused: 0, unused: [] });
  });

  // --- fake timers -------------------------------------------------------------------

  describe('vi.useFakeTimers() during a recorded-timing replay', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    // openai's stream helpers (chat.completions.stream / responses.stream) never finish under
    // fake timers even against a live server without cassettes, so the SDK side uses
    // chat.completions.create({ stream: true }), anthropic's MessageStream and genai's stream.
    test('fetch and SDK streams neither hang nor finish instantly', async () => {
      const oa = byId('openai/chat-stream-tools-include-usage#1');
      const an = byId('anthropic/messages-stream-text#0');
      const ge = byId('gemini/stream-sse-text#0');
      const name = 'fake-timers/all';
      const run = async (url: string): Promise<unknown> => {
        const raw = await readChunks(await post(url, oa));
        const stream = await openaiClient({ baseUrl: url }).chat.completions.create({
          ...(oa.request.bodyJson as object),
          stream: true,
        } as never);
        const chunks: unknown[] = [];
        for await (const chunk of stream as unknown as AsyncIterable<unknown>) chunks.push(chunk);
        return {
          raw: raw.chunks.map((c) => c.toString('base64')),
          openai: JSON.parse(JSON.stringify(chunks)) as unknown,
          anthropic: await runCall(specOf(an), { baseUrl: url }),
          gemini: await runCall(specOf(ge), { baseUrl: url }),
        };
      };
      const { value: live, url } = await record(name, [oa, oa, an, ge], run);
      const { interactions } = readCassette(name);
      expect(interactions).toHaveLength(4);
      const total = interactions.reduce((sum, i) => sum + i.response!.chunks!.at(-1)!.atMs, 0);
      expect(total).toBeGreaterThan(40);

      vi.useFakeTimers();
      try {
        const t0 = realNow();
        const replayed = await replay(name, () => run(url), { timing: 'recorded' });
        const ms = realNow() - t0;
        expect(replayed).toEqual(live);
        // four streams back to back at the recorded pace: not instant
        expect(ms).toBeGreaterThanOrEqual(0.8 * total);
      } finally {
        vi.useRealTimers();
      }
    }, 10_000);
  });
});
