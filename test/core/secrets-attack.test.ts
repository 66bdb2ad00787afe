/**
 * The attack on "no secret ever reaches a cassette, an error message or a log line": keys in env
 * vars, auth headers, query strings, JSON bodies, JSON object keys, multipart text fields and
 * custom headers named in `redact`, sent through the three SDKs, raw fetch, undici and
 * node:https to a server that echoes all of it back in headers, JSON bodies and SSE events, the
 * stream cut inside every echoed key at every byte offset. Then every written file (base64
 * decoded), every error message (with its cause chain and stack), every debug line and every
 * diagnostics-channel event is searched for any 8-character piece of any key; then everything
 * replays under other keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { load } from 'js-yaml';
import OpenAI, { toFile } from 'openai';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, FormData as UndiciFormData, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configure, isCassetteError, resetConfiguration, subscribe, withCassette } from '../../src/index.js';
import { type EchoServer, startEchoServer, TEST_CERT } from '../support/echo-server.js';

const REDACTED = '[REDACTED]';
const KEY_LENGTH = 40;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh random key: no piece of it can be in a file by chance. */
function key(prefix: string, alphabet = ALPHABET): string {
  const bytes = randomBytes(KEY_LENGTH);
  let out = prefix;
  for (let i = 0; out.length < KEY_LENGTH; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

interface Keys {
  /** OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY: the SDKs read them. */
  openai: string;
  anthropic: string;
  gemini: string;
  /** `authorization: Bearer …` of the raw clients. */
  bearer: string;
  /** Gemini's `?key=`. */
  query: string;
  /** `?api_key=`, with characters a URL must encode. */
  encoded: string;
  /** `x-tenant-secret`, named in redact.headers. */
  tenantHeader: string;
  /** `?tenant_token=`, named in redact.queryParams. */
  tenantQuery: string;
  /** `credentials.token` in JSON bodies, named in redact.bodyPaths. */
  bodyPath: string;
}

function keys(): Keys {
  return {
    openai: key('sk-proj-'),
    anthropic: key('sk-ant-api03-'),
    gemini: key('AIzaSy'),
    bearer: key('sk-bearer-'),
    query: key('AIzaQy'),
    encoded: key('enc+/=', `${ALPHABET}+/=`),
    tenantHeader: key('tnt-h-'),
    tenantQuery: key('tnt-q-'),
    bodyPath: key('bdy-p-'),
  };
}

const RECORD = keys();
const REPLAY = keys();
const everyKey = (): string[] => [...Object.values(RECORD), ...Object.values(REPLAY)];

const REDACT = { headers: ['x-tenant-secret'], queryParams: ['tenant_token'], bodyPaths: ['credentials.token'] };

/** `miss`: the json call with another model, so that a replay has nothing to match. */
type Variant = 'json' | 'stream' | 'upload' | 'miss';
type Client = (server: EchoServer, k: Keys, variant: Variant) => Promise<unknown>;

/** A binary part: the upload is stored as base64. */
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe, 0x80]);

function rawUrl(base: string, k: Keys, stream: boolean): string {
  const query = `key=${k.query}&api_key=${encodeURIComponent(k.encoded)}&tenant_token=${k.tenantQuery}`;
  return `${base}/v1/raw/echo?${query}${stream ? '&stream=1' : ''}`;
}

function rawHeaders(k: Keys): Record<string, string> {
  return { authorization: `Bearer ${k.bearer}`, 'x-tenant-secret': k.tenantHeader, 'content-type': 'application/json' };
}

/** A key in a JSON body, as a JSON object key, and at a redacted body path. */
function rawBody(k: Keys, variant: Variant = 'json'): string {
  return JSON.stringify({ model: variant === 'miss' ? 'other' : 'm', note: `my key is ${k.openai}é`, [k.bearer]: true, credentials: { token: k.bodyPath } });
}

function multipart(k: Keys): { body: Buffer; type: string } {
  const boundary = `----cassettes-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="api_key"\r\n\r\n${k.openai}\r\n`),
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`),
    BINARY,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function readStream(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null): Promise<string> {
  const parts: Buffer[] = [];
  if (body) for await (const part of body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

function formData<F extends { append(name: string, value: unknown, filename?: string): void }>(form: F, k: Keys): F {
  form.append('api_key', k.openai);
  form.append('file', new Blob([BINARY]), 'a.bin');
  return form;
}

const CLIENTS: Record<string, Client> = {
  async openai(server, k, variant) {
    const client = new OpenAI({
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-tenant-secret': k.tenantHeader },
      defaultQuery: { tenant_token: k.tenantQuery },
    });
    if (variant === 'upload') return client.files.create({ file: await toFile(BINARY, 'a.bin'), purpose: k.openai as 'assistants' });
    const params: any = {
      model: variant === 'miss' ? 'other' : 'gpt-4o-mini',
      messages: [{ role: 'user', content: `my key is ${k.openai}é` }],
      metadata: { [k.openai]: 'as a JSON object key' },
      credentials: { token: k.bodyPath },
    };
    if (variant !== 'stream') return client.chat.completions.create(params);
    const out: unknown[] = [];
    for await (const chunk of (await client.chat.completions.create({ ...params, stream: true })) as any) out.push(chunk);
    return out;
  },

  async anthropic(server, k, variant) {
    if (variant === 'upload') return undefined;
    const client = new Anthropic({
      baseURL: server.url,
      maxRetries: 0,
      defaultHeaders: { 'x-tenant-secret': k.tenantHeader },
      defaultQuery: { tenant_token: k.tenantQuery },
    });
    const params: any = {
      model: variant === 'miss' ? 'other' : 'claude-x',
      max_tokens: 16,
      messages: [{ role: 'user', content: `my key is ${k.anthropic}é` }],
      metadata: { user_id: k.anthropic },
      credentials: { token: k.bodyPath },
    };
    if (variant !== 'stream') return client.messages.create(params);
    const out: unknown[] = [];
    for await (const event of (await client.messages.create({ ...params, stream: true })) as any) out.push(event);
    return out;
  },

  async gemini(server, k, variant) {
    if (variant === 'upload') return undefined;
    const ai = new GoogleGenAI({
      apiKey: k.gemini,
      httpOptions: { baseUrl: server.url, apiVersion: 'v1beta', headers: { 'x-tenant-secret': k.tenantHeader }, retryOptions: { attempts: 1 } },
    });
    const params = { model: variant === 'miss' ? 'other' : 'gemini-x', contents: `my key is ${k.gemini}é, and {"${k.gemini}": 1}` };
    if (variant !== 'stream') return ai.models.generateContent(params);
    const out: unknown[] = [];
    for await (const chunk of await ai.models.generateContentStream(params)) out.push(chunk);
    return out;
  },

  async fetch(server, k, variant) {
    if (variant === 'upload') {
      const res = await fetch(rawUrl(server.url, k, false), {
        method: 'POST',
        headers: { authorization: `Bearer ${k.bearer}` },
        body: formData(new FormData(), k),
      });
      return res.text();
    }
    const res = await fetch(rawUrl(server.url, k, variant === 'stream'), { method: 'POST', headers: rawHeaders(k), body: rawBody(k, variant) });
    return readStream(res.body);
  },

  async 'undici.request'(server, k, variant) {
    if (variant === 'upload') {
      const { body, type } = multipart(k);
      const res = await undiciRequest(rawUrl(server.url, k, false), { method: 'POST', headers: { ...rawHeaders(k), 'content-type': type }, body });
      return res.body.text();
    }
    const res = await undiciRequest(rawUrl(server.url, k, variant === 'stream'), { method: 'POST', headers: rawHeaders(k), body: rawBody(k, variant) });
    return readStream(res.body);
  },

  async 'undici.fetch'(server, k, variant) {
    if (variant === 'upload') {
      const res = await undiciFetch(rawUrl(server.url, k, false), {
        method: 'POST',
        headers: { authorization: `Bearer ${k.bearer}` },
        body: formData(new UndiciFormData(), k),
      });
      return res.text();
    }
    const res = await undiciFetch(rawUrl(server.url, k, variant === 'stream'), { method: 'POST', headers: rawHeaders(k), body: rawBody(k, variant) });
    return readStream(res.body);
  },

  async 'node:https'(server, k, variant) {
    const { body, type } = variant === 'upload' ? multipart(k) : { body: Buffer.from(rawBody(k, variant)), type: 'application/json' };
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        rawUrl(server.httpsUrl, k, variant === 'stream'),
        { method: 'POST', ca: TEST_CERT, headers: { ...rawHeaders(k), 'content-type': type } },
        (res) => {
          readStream(res).then(resolve, reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  },
};

/** The raw clients, for the calls an SDK cannot make (a key as the whole body field, blocked requests). */
const RAW = ['fetch', 'undici.request', 'undici.fetch', 'node:https'] as const;

/** A body holding the key the environment gives (none in a CI without keys). */
async function keyInBody(server: EchoServer, client: (typeof RAW)[number]): Promise<unknown> {
  const body = JSON.stringify({ api_key: process.env['OPENAI_API_KEY'] ?? '' });
  const url = `${server.url}/v1/raw/key-in-body`;
  const headers = { 'content-type': 'application/json' };
  switch (client) {
    case 'fetch':
      return (await fetch(url, { method: 'POST', headers, body })).text();
    case 'undici.request':
      return (await undiciRequest(url, { method: 'POST', headers, body })).body.text();
    case 'undici.fetch':
      return (await undiciFetch(url, { method: 'POST', headers, body })).text();
    case 'node:https':
      return new Promise((resolve, reject) => {
        const req = httpsRequest(`${server.httpsUrl}/v1/raw/key-in-body`, { method: 'POST', ca: TEST_CERT, headers }, (res) =>
          readStream(res).then(resolve, reject),
        );
        req.on('error', reject);
        req.end(body);
      });
  }
}

function useKeys(k: Keys): void {
  process.env['OPENAI_API_KEY'] = k.openai;
  process.env['ANTHROPIC_API_KEY'] = k.anthropic;
  process.env['GEMINI_API_KEY'] = k.gemini;
}

// ---------------------------------------------------------------------------

let server: EchoServer;
const dir = mkdtempSync(join(tmpdir(), 'cassettes-secrets-attack-'));
const messages: string[] = [];
const debugLines: string[] = [];
/** What the package publishes on its diagnostics channels (the events a reporter or tracer reads). */
const events: string[] = [];
let unsubscribe: (() => void) | undefined;
const ENV = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'LLM_CASSETTE_DEBUG'] as const;
const saved = { env: ENV.map((name) => [name, process.env[name]] as const), write: process.stderr.write, dispatcher: getGlobalDispatcher() };
const onWarning = (warning: Error): void => void messages.push(inspect(warning));

/** An error as a user would see it printed: message, stack, own fields, the whole cause chain. */
function seen(error: unknown): string {
  return inspect(error, { depth: 12 });
}

beforeAll(async () => {
  server = await startEchoServer();
  server.secrets = everyKey();
  // the upstream for node:https recordings trusts the test certificate, as a user's CA setup would
  setGlobalDispatcher(new Agent({ connect: { ca: TEST_CERT } }));
  delete process.env['GOOGLE_API_KEY'];
  process.env['LLM_CASSETTE_DEBUG'] = '1';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('cassettes:')) debugLines.push(...text.split('\n').filter((line) => line !== ''));
    else return (saved.write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stderr.write;
  process.on('warning', onWarning);
  unsubscribe = subscribe((event) => void events.push(JSON.stringify(event)));
  configure({ redact: REDACT, dir });
});

afterAll(async () => {
  process.stderr.write = saved.write;
  process.off('warning', onWarning);
  unsubscribe?.();
  for (const [name, value] of saved.env) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  setGlobalDispatcher(saved.dispatcher);
  resetConfiguration();
  await server.close();
});

const figures = { streams: 0, cutsWritten: 0, cutsKept: 0, base64Chunks: 0, interactions: 0, replayed: 0, files: 0, bytes: 0, pieces: 0, hits: 0 };

describe('no secret reaches a cassette, an error message or a log line', () => {
  test('recording through every client, the stream cut inside every echoed key at every byte offset', async () => {
    useKeys(RECORD);
    for (const [name, client] of Object.entries(CLIENTS)) {
      await withCassette(
        `attack/${name}`,
        async () => {
          server.splitAt = 0;
          await client(server, RECORD, 'json');
          await client(server, RECORD, 'upload');
          for (let at = 1; at < KEY_LENGTH; at++) {
            server.splitAt = at;
            await client(server, RECORD, 'stream');
            figures.streams++;
          }
        },
        { mode: 'all', onReport: (report) => void (figures.interactions += report.recorded) },
      );
    }
    for (const client of RAW) await withCassette(`attack/key-in-body-${client}`, () => keyInBody(server, client), { mode: 'all' });
    server.splitAt = 0;
    figures.cutsWritten = server.cuts;
    // the attack was real: the recordings kept cuts inside keys (the marker split across two chunks)
    for (const name of Object.keys(CLIENTS)) {
      const text = readFileSync(join(dir, 'attack', `${name}.yaml`), 'utf8');
      const { kept, base64 } = splitMarkers(text);
      figures.cutsKept += kept;
      figures.base64Chunks += base64;
      expect(kept, `${name}: chunk boundaries inside a key`).toBeGreaterThan(KEY_LENGTH);
      expect(base64, `${name}: chunks stored as base64 (cut inside a character)`).toBeGreaterThan(KEY_LENGTH);
    }
  }, 180_000);

  test('blocked and bypassing requests, and a miss: their errors, causes and the 400 the app reads', async () => {
    useKeys(RECORD);
    configure({ blockNetwork: true });
    try {
      for (const name of RAW) messages.push(seen(await CLIENTS[name]!(server, RECORD, 'json').catch((error: unknown) => error)));
      messages.push(seen(await CLIENTS['openai']!(server, RECORD, 'json').catch((error: unknown) => error)));
      messages.push(seen(await CLIENTS['gemini']!(server, RECORD, 'json').catch((error: unknown) => error)));
    } finally {
      configure({ blockNetwork: false });
    }
    // a client with its own undici Agent: stopped as LLM_CASSETTE_BYPASS
    const own = new Agent();
    const bypass = await withCassette(
      'attack/bypass',
      async () => {
        messages.push(
          seen(
            await undiciRequest(rawUrl(server.url, RECORD, false), {
              method: 'POST',
              headers: rawHeaders(RECORD),
              body: rawBody(RECORD),
              dispatcher: own,
            }).catch((e: unknown) => e),
          ),
        );
      },
      { mode: 'all' },
    ).catch((error: unknown) => error);
    await own.close();
    expect(isCassetteError(bypass) && bypass.code).toBe('LLM_CASSETTE_BYPASS');
    messages.push(seen(bypass));
    // a miss: the refusal's 400 body, the SDK's error, withCassette's error
    for (const name of ['fetch', 'openai', 'gemini', 'node:https'] as const) {
      const miss = await withCassette(
        `attack/${name}`,
        async () => {
          const answer = await CLIENTS[name]!(server, RECORD, 'miss').catch((error: unknown) => error);
          messages.push(typeof answer === 'string' ? answer : seen(answer));
        },
        { mode: 'none' },
      ).catch((error: unknown) => error);
      expect(isCassetteError(miss) && miss.code, name).toBe('LLM_CASSETTE_NO_MATCH');
      messages.push(seen(miss));
    }
    expect(messages.length).toBeGreaterThanOrEqual(14);
  }, 60_000);

  test('replays under other keys, or none: every request matches, the server is not reached', async () => {
    const hits = server.hits;
    useKeys(REPLAY);
    for (const [name, client] of Object.entries(CLIENTS)) {
      const seenByApp: unknown[] = [];
      await withCassette(
        `attack/${name}`,
        async () => {
          seenByApp.push(await client(server, REPLAY, 'json'), await client(server, REPLAY, 'upload'));
          for (let at = 1; at < KEY_LENGTH; at++) seenByApp.push(await client(server, REPLAY, 'stream'));
        },
        { mode: 'none', onReport: (report) => void (figures.replayed += report.replayed) },
      );
      expect(JSON.stringify(seenByApp), name).toContain(REDACTED);
    }
    delete process.env['OPENAI_API_KEY'];
    for (const client of RAW) {
      await withCassette(`attack/key-in-body-${client}`, () => keyInBody(server, client), {
        mode: 'none',
        onReport: (report) => void (figures.replayed += report.replayed),
      });
    }
    expect(server.hits).toBe(hits);
    expect(figures.replayed).toBe(figures.interactions + RAW.length);
  }, 120_000);

  test('every written file, error message and debug line: no 8-character piece of any key', () => {
    const files = walk(dir);
    const haystacks: [string, string][] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      figures.bytes += text.length;
      haystacks.push([file, text], [`${file} (percent-decoded)`, percentDecoded(text)], [`${file} (base64 decoded)`, decodedBase64(text)]);
    }
    for (const [i, message] of messages.entries()) haystacks.push([`message #${i}`, message]);
    for (const [i, line] of debugLines.entries()) haystacks.push([`debug line #${i}`, line]);
    for (const [i, event] of events.entries()) haystacks.push([`event #${i}`, event]);
    const found: string[] = [];
    for (const secret of everyKey()) {
      for (let i = 0; i + 8 <= secret.length; i++) {
        const piece = secret.slice(i, i + 8);
        figures.pieces++;
        for (const [where, text] of haystacks) {
          if (text.includes(piece)) found.push(`${piece} (of ${secret.slice(0, 6)}…) in ${where}`);
        }
      }
    }
    figures.files = files.length;
    figures.hits = found.length;
    console.info(
      `secrets attack: ${figures.streams} streams cut inside every echoed key (${figures.cutsWritten} cuts written, ${figures.cutsKept} kept as chunk boundaries inside a marker, ${figures.base64Chunks} chunks stored as base64); ` +
        `${figures.interactions + RAW.length} interactions recorded, ${figures.replayed} replayed under other keys or none; ` +
        `scanned ${figures.files} cassettes (${figures.bytes} bytes), ${messages.length} error messages, ${debugLines.length} debug lines, ${events.length} events ` +
        `for ${figures.pieces} pieces of ${everyKey().length} keys: ${figures.hits} hits`,
    );
    expect(files.length).toBeGreaterThanOrEqual(Object.keys(CLIENTS).length + RAW.length);
    expect(debugLines.length).toBeGreaterThan(figures.interactions);
    expect(events.length).toBeGreaterThan(figures.interactions);
    expect(found).toEqual([]);
  });
});

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]));
}

function percentDecoded(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      try {
        return decodeURIComponent(line.replace(/\+/g, ' '));
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** Every base64 field of a cassette, decoded: a key hidden in bytes counts too. */
function decodedBase64(text: string): string {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) {
        if (name === 'base64' && typeof item === 'string') out.push(Buffer.from(item, 'base64').toString('latin1'));
        else visit(item);
      }
    }
  };
  visit(load(text));
  return out.join('\n');
}

/**
 * How many chunk boundaries fall inside a marker (a chunk ends with its start, the next goes on),
 * and how many chunks are stored as base64.
 */
function splitMarkers(yaml: string): { kept: number; base64: number } {
  let count = 0;
  let base64 = 0;
  const data = load(yaml) as { interactions: { response?: { chunks?: { text?: string; base64?: string; events?: unknown[] }[] } }[] };
  for (const interaction of data.interactions) {
    const chunks = interaction.response?.chunks ?? [];
    base64 += chunks.filter((c) => c.base64 !== undefined).length;
    const texts = chunks.map((c) => c.text ?? (c.base64 ? Buffer.from(c.base64, 'base64').toString('latin1') : c.events ? JSON.stringify(c.events) : ''));
    for (let i = 0; i + 1 < texts.length; i++) {
      for (let cut = 1; cut < REDACTED.length; cut++) {
        if (texts[i]!.endsWith(REDACTED.slice(0, cut)) && texts[i + 1]!.startsWith(REDACTED.slice(cut))) count++;
      }
    }
  }
  return { kept: count, base64 };
}
