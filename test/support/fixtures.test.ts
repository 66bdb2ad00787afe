import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from './fixture-server.js';
import { type FixtureExchange, type FixtureFile, fixturesAvailable, loadExchange, loadFixtures, sseEvents } from './fixtures.js';

const available = fixturesAvailable();
if (!available) console.warn('skipping: ../shared/fixtures/real not found');
const suite = available ? describe : describe.skip;

/** JSON payloads of the `data:` lines of an SSE body, `[DONE]` excluded. */
function dataPayloads(body: Buffer): unknown[] {
  return body
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as unknown);
}

async function readChunks(response: Response): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('response has no body');
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(Buffer.from(value));
  }
}

suite('real fixtures', () => {
  const files: FixtureFile[] = available ? loadFixtures() : [];
  const exchanges = files.flatMap((f) => f.exchanges);
  const byId = (id: string): FixtureExchange => loadExchange(id, files);

  describe('loader', () => {
    it('loads all 44 files, each with at least one exchange', () => {
      expect(files).toHaveLength(44);
      for (const f of files) {
        expect(f.exchanges.length, f.file).toBeGreaterThan(0);
        for (const e of f.exchanges) {
          expect(e.file).toBe(f.file);
          expect(e.id).toBe(`${f.file.replace(/(\.replay\.json|\.chunks\.txt|\.json|\.yaml)$/, '')}#${e.index}`);
          expect(e.request.path, e.id).toMatch(/^\/v1(beta)?\//);
          expect(e.response.body.length, e.id).toBeGreaterThan(0);
          expect(e.response.statusText, e.id).not.toBe('');
        }
      }
      expect(new Set(exchanges.map((e) => e.id)).size).toBe(exchanges.length);
    });

    it('counts files, exchanges and formats per provider', () => {
      const count = (pick: (f: FixtureFile) => string, weight: (f: FixtureFile) => number = () => 1) => {
        const out: Record<string, number> = {};
        for (const f of files) out[pick(f)] = (out[pick(f)] ?? 0) + weight(f);
        return out;
      };
      expect(count((f) => f.provider)).toEqual({ openai: 17, anthropic: 12, gemini: 15 });
      expect(
        count(
          (f) => f.provider,
          (f) => f.exchanges.length,
        ),
      ).toEqual({ openai: 24, anthropic: 17, gemini: 20 });
      expect(count((f) => f.format)).toEqual({ 'vcr-yaml': 37, 'genai-replay': 2, 'body-json': 4, 'sse-chunks': 1 });
      expect(exchanges.filter((e) => e.response.streamed)).toHaveLength(29);
      expect(exchanges.filter((e) => e.response.encoding === 'gzip')).toHaveLength(12);
    });

    it('never hands out framing headers and keeps repeated values', () => {
      for (const e of exchanges) {
        const names = e.response.headers.map(([name]) => name.toLowerCase());
        expect(names, e.id).not.toContain('content-length');
        expect(names, e.id).not.toContain('transfer-encoding');
        expect(names, e.id).not.toContain('content-encoding');
      }
      const cookies = byId('openai/chat-stream-tools-ratelimit#0').response.headers.filter(([name]) => name.toLowerCase() === 'set-cookie');
      expect(cookies.length).toBeGreaterThan(1);
    });

    it('turns parsed_body into JSON text and keeps raw request bodies verbatim', () => {
      const parsed = byId('openai/chat-nonstream-simple#0');
      expect(parsed.request.bodyText).toBe(JSON.stringify(parsed.request.bodyJson));
      expect(JSON.parse(parsed.response.body.toString('utf8'))).toMatchObject({ object: 'chat.completion' });
      // An unquoted `n:` key must stay "n" (a YAML 1.1 parser reads it as the boolean false).
      const keys = Object.keys(byId('openai/chat-nonstream-json-schema#0').request.bodyJson as object);
      expect(keys).toContain('n');
      expect(keys).not.toContain('false');

      const raw = byId('openai/chat-stream-tools-ratelimit#0');
      expect(raw.request.bodyText?.startsWith('{"messages":[{"role":"user"')).toBe(true);
      expect(JSON.parse(raw.request.bodyText ?? '')).toEqual(raw.request.bodyJson);
      expect(raw.request.headers['content-type']).toBe('application/json');
    });

    it('synthesises requests and statuses for bare vercel/ai bodies', () => {
      const quota = byId('openai/error-429-insufficient-quota#0');
      expect(quota.response.status).toBe(429);
      expect(quota.request).toEqual({ method: 'POST', path: '/v1/chat/completions', headers: {} });
      expect(byId('gemini/error-429-resource-exhausted#0').response.status).toBe(429);
      expect(byId('anthropic/messages-nonstream-body#0').response.status).toBe(200);

      const chunks = byId('openai/responses-stream-error-event#0');
      expect(chunks.request.path).toBe('/v1/responses');
      expect(chunks.response.streamed).toBe(true);
      const frames = sseEvents(chunks.response.body).map((b) => b.toString('utf8'));
      expect(frames).toHaveLength(4);
      expect(frames[2]).toMatch(/^event: error\ndata: \{"type":"error",.*\}\n\n$/);
    });

    it('rebuilds js-genai replays, including an SSE-typed 404 whose body is plain JSON', () => {
      const e = byId('gemini/error-404-sse-request#0');
      expect(e.response.status).toBe(404);
      expect(e.response.contentType).toBe('text/event-stream');
      const text = e.response.body.toString('utf8');
      // Pretty JSON plus a newline, which is what reproduces the recorded Content-Length.
      expect(text.startsWith('{\n  "error": {')).toBe(true);
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toMatchObject({ error: { status: 'NOT_FOUND' } });
      expect(byId('gemini/error-400-api-key-invalid#0').response.encoding).toBe('gzip');
    });
  });

  describe('sseEvents', () => {
    it('re-splits every streamed body into frames that concatenate to it', () => {
      for (const e of exchanges.filter((x) => x.response.streamed)) {
        const frames = sseEvents(e.response.body);
        expect(Buffer.concat(frames).equals(e.response.body), e.id).toBe(true);
        expect(frames.length, e.id).toBeGreaterThan(0);
        if (e.response.status !== 200) continue;
        const sse = !e.response.body.subarray(0, 1).equals(Buffer.from('['));
        for (const frame of sse ? frames : []) expect(frame.toString('utf8'), e.id).toMatch(/(\n\n|\r\n\r\n)$/);
      }
    });

    it('keeps CRLF frames (Gemini) and a tail without a final blank line', () => {
      const frames = sseEvents(byId('gemini/stream-sse-text#0').response.body).map((b) => b.toString('utf8'));
      expect(frames).toHaveLength(3);
      for (const frame of frames) expect(frame).toMatch(/^data: \{.*\}\r\n\r\n$/s);

      const body = Buffer.from('event: a\ndata: 1\n\ndata: 2\r\n\r\ndata: tail');
      expect(sseEvents(body).map(String)).toEqual(['event: a\ndata: 1\n\n', 'data: 2\r\n\r\n', 'data: tail']);
      expect(sseEvents(Buffer.alloc(0))).toEqual([]);
    });

    it('splits Gemini JSON-array streams at element boundaries', () => {
      const body = byId('gemini/stream-json-array-thinking-gzip#0').response.body;
      const frames = sseEvents(body).map((b) => b.toString('utf8'));
      const elements = JSON.parse(body.toString('utf8')) as unknown[];
      expect(frames).toHaveLength(elements.length);
      expect(frames[0]?.startsWith('[{')).toBe(true);
      for (const frame of frames.slice(1)) expect(frame.startsWith(',\r\n{')).toBe(true);
      expect(frames.at(-1)?.endsWith('}\n]')).toBe(true);
    });

    it('decodes gzip fixtures to readable text', () => {
      const gzipped = exchanges.filter((e) => e.response.encoding === 'gzip');
      for (const e of gzipped) {
        const text = e.response.body.toString('utf8');
        if (e.response.streamed) expect(text, e.id).toMatch(/^(data:|event:|\[)/);
        else expect(() => JSON.parse(text) as unknown, e.id).not.toThrow();
      }
      expect(gzipped.filter((e) => e.response.streamed).length).toBeGreaterThan(0);
    });
  });

  describe('fixture server', () => {
    let server: FixtureServer;
    beforeEach(async () => {
      server = await startFixtureServer();
    });
    afterEach(async () => {
      await server.close();
    });

    it('plays a stream to fetch as several chunks with identical bytes and recorded headers', async () => {
      const e = byId('openai/chat-stream-tools-ratelimit#1');
      server.enqueue(e);
      const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{"hello":1}' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('x-request-id')).toBe(e.response.headers.find(([n]) => n.toLowerCase() === 'x-request-id')?.[1]);
      const chunks = await readChunks(res);
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(e.response.body)).toBe(true);
      expect(server.received).toEqual([expect.objectContaining({ method: 'POST', url: '/v1/chat/completions', body: '{"hello":1}' })]);
    });

    it('plays a gzip stream incrementally; fetch decodes it to the same bytes', async () => {
      const e = byId('anthropic/messages-stream-thinking-gzip-ratelimit#0');
      server.enqueue(e);
      const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const chunks = await readChunks(res);
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(e.response.body)).toBe(true);
    });

    it('plays a gzip non-streamed body with the status and a correct length', async () => {
      const e = byId('openai/chat-nonstream-tools-gzip-ratelimit#0');
      const error = byId('anthropic/error-404-not-found#0');
      server.enqueue(e, error);
      const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(Buffer.from(await res.arrayBuffer()).equals(e.response.body)).toBe(true);

      const res404 = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
      expect(res404.status).toBe(404);
      expect(res404.statusText).toBe('Not Found');
      expect(Number(res404.headers.get('content-length'))).toBe(error.response.body.length);
      expect(await res404.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    });

    it('plays every exchange with its status and decoded bytes', async () => {
      const fast = await startFixtureServer({ gapMs: 0, ttfbMs: 0 });
      try {
        for (const e of exchanges) {
          fast.enqueue(e);
          const res = await fetch(`${fast.url}${e.request.path}`, { method: e.request.method, body: e.request.bodyText ?? null });
          expect(res.status, e.id).toBe(e.response.status);
          expect(res.headers.get('content-type'), e.id).toBe(e.response.contentType);
          expect(Buffer.from(await res.arrayBuffer()).equals(e.response.body), e.id).toBe(true);
        }
        expect(fast.received.map((r) => r.url)).toEqual(exchanges.map((e) => e.request.path));
      } finally {
        await fast.close();
      }
    });

    it('answers 500 when nothing is enqueued', async () => {
      const res = await fetch(`${server.url}/v1/models?x=1`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'fixture server: nothing enqueued for GET /v1/models?x=1' });
    });

    it('resets the connection after n chunks when asked', async () => {
      const e = byId('anthropic/messages-stream-text-ratelimit#0');
      server.enqueue(e);
      server.resetAfterChunks(2);
      const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(200);
      const got: Buffer[] = [];
      const reader = res.body?.getReader();
      await expect(
        (async () => {
          for (;;) {
            const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
            if (done) return;
            got.push(Buffer.from(value));
          }
        })(),
      ).rejects.toThrow();
      const frames = sseEvents(e.response.body);
      expect(Buffer.concat(got).equals(Buffer.concat(frames.slice(0, 2)))).toBe(true);
    });
  });

  describe('real SDKs against the fixture server', () => {
    let server: FixtureServer;
    beforeEach(async () => {
      server = await startFixtureServer();
    });
    afterEach(async () => {
      await server.close();
    });

    it('openai chat.completions.create (non-streamed)', async () => {
      const e = byId('openai/chat-nonstream-simple#0');
      server.enqueue(e);
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
      const body = e.request.bodyJson as OpenAI.ChatCompletionCreateParamsNonStreaming;
      const completion = await client.chat.completions.create(body);

      const recorded = JSON.parse(e.response.body.toString('utf8')) as OpenAI.ChatCompletion;
      expect(completion.choices[0]?.message.content).toBe(recorded.choices[0]?.message.content);
      expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(server.received[0]?.url).toBe(e.request.path);
      expect(JSON.parse(server.received[0]?.body ?? '')).toEqual(e.request.bodyJson);
    });

    it('openai chat.completions.create (stream: true)', async () => {
      const e = byId('openai/chat-stream-tools-ratelimit#1');
      server.enqueue(e);
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
      const body = e.request.bodyJson as OpenAI.ChatCompletionCreateParamsStreaming;
      const stream = await client.chat.completions.create({ ...body, stream: true });

      let text = '';
      let chunkCount = 0;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        chunkCount++;
        text += chunk.choices[0]?.delta.content ?? '';
        usage = chunk.usage ?? usage;
      }

      const payloads = dataPayloads(e.response.body) as OpenAI.ChatCompletionChunk[];
      const expected = payloads.map((p) => p.choices[0]?.delta.content ?? '').join('');
      expect(expected.length).toBeGreaterThan(0);
      expect(text).toBe(expected);
      expect(chunkCount).toBe(payloads.length);
      expect(usage).toEqual(payloads.at(-1)?.usage);
    });

    it('anthropic messages.stream().finalMessage()', async () => {
      const e = byId('anthropic/messages-stream-text-ratelimit#0');
      server.enqueue(e);
      const client = new Anthropic({ apiKey: 'x', baseURL: server.url, maxRetries: 0 });
      const { stream: _stream, ...body } = e.request.bodyJson as Anthropic.MessageCreateParamsStreaming;
      const message = await client.messages.stream(body).finalMessage();

      type Event = { type: string; delta?: { type: string; text?: string }; usage?: { output_tokens: number } };
      const events = dataPayloads(e.response.body) as Event[];
      const expected = events
        .filter((ev) => ev.type === 'content_block_delta' && ev.delta?.type === 'text_delta')
        .map((ev) => ev.delta?.text ?? '')
        .join('');
      expect(expected.length).toBeGreaterThan(0);
      const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      expect(text).toBe(expected);
      expect(message.usage.output_tokens).toBe(events.find((ev) => ev.type === 'message_delta')?.usage?.output_tokens);
      expect(server.received[0]?.url).toBe('/v1/messages');
    });

    it('google genai models.generateContentStream (alt=sse)', async () => {
      const e = byId('gemini/stream-sse-text#0');
      server.enqueue(e);
      const ai = new GoogleGenAI({
        apiKey: 'x',
        // @google/genai 3 defaults to /v1; the recording used /v1beta.
        httpOptions: { baseUrl: server.url, apiVersion: 'v1beta', retryOptions: { attempts: 1 } },
      });
      const request = e.request.bodyJson as {
        contents: { role: string; parts: { text: string }[] }[];
        generationConfig: { temperature: number };
        systemInstruction: { role: string; parts: { text: string }[] };
      };
      const model = /\/models\/([^:]+):/.exec(e.request.path)?.[1] ?? '';
      const stream = await ai.models.generateContentStream({
        model,
        contents: request.contents,
        config: { ...request.generationConfig, systemInstruction: request.systemInstruction },
      });
      let text = '';
      let chunkCount = 0;
      for await (const chunk of stream) {
        chunkCount++;
        text += chunk.text ?? '';
      }

      type Frame = { candidates: { content: { parts: { text?: string }[] } }[] };
      const frames = dataPayloads(e.response.body) as Frame[];
      const expected = frames.flatMap((f) => f.candidates.flatMap((c) => c.content.parts.map((p) => p.text ?? ''))).join('');
      expect(expected.length).toBeGreaterThan(0);
      expect(text).toBe(expected);
      expect(chunkCount).toBe(frames.length);
      expect(server.received[0]?.url).toBe(e.request.path);
      expect(JSON.parse(server.received[0]?.body ?? '')).toEqual(e.request.bodyJson);
    });
  });
});
