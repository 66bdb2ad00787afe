/**
 * Loader for the real recorded provider exchanges kept outside this repo in
 * `../shared/fixtures/real` (see SOURCES.md and WIRE-FORMATS.md there).
 *
 * The files belong to other projects and are read at run time only: nothing
 * here may copy them, or anything derived from them, into the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';

export type Provider = 'openai' | 'anthropic' | 'gemini';
export type ContentEncoding = 'gzip' | 'br' | 'deflate';
export type FixtureFormat = 'vcr-yaml' | 'genai-replay' | 'body-json' | 'sse-chunks';

export interface FixtureRequest {
  method: string;
  /** Path plus query exactly as recorded, scheme and host removed. */
  path: string;
  /** Lower-cased names; multi-valued headers joined with ', '. */
  headers: Record<string, string>;
  bodyText?: string;
  bodyJson?: unknown;
}

export interface FixtureResponse {
  status: number;
  statusText: string;
  /** As recorded (original casing, one pair per value), minus the framing headers the body rebuild invalidates. */
  headers: [string, string][];
  /** Content-Encoding of the original exchange; the body below is already decoded. */
  encoding?: ContentEncoding;
  /** Decoded body bytes, exactly as the app would consume them. */
  body: Buffer;
  /** SSE (text/event-stream) or a Gemini JSON-array stream. */
  streamed: boolean;
  contentType: string;
}

export interface FixtureExchange {
  /** `<provider>/<file stem>#<index>`, e.g. `openai/chat-stream-tools-ratelimit#0`. */
  id: string;
  provider: Provider;
  /** Relative to FIXTURES_ROOT, e.g. `openai/chat-stream-tools-ratelimit.yaml`. */
  file: string;
  index: number;
  request: FixtureRequest;
  response: FixtureResponse;
}

export interface FixtureFile {
  file: string;
  provider: Provider;
  format: FixtureFormat;
  exchanges: FixtureExchange[];
}

const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'gemini'];

export const FIXTURES_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/real');

export function fixturesAvailable(): boolean {
  return PROVIDERS.every((provider) => existsSync(join(FIXTURES_ROOT, provider)));
}

/** Whether the real fixtures are here; when not, says so on stderr, naming what is skipped. */
export function realFixturesFor(suite: string): boolean {
  const available = fixturesAvailable();
  if (!available) console.warn(`[cassettes] ${suite}: SKIPPED — real fixtures not found at ${FIXTURES_ROOT}`);
  return available;
}

export function loadFixtures(): FixtureFile[] {
  const files: FixtureFile[] = [];
  for (const provider of PROVIDERS) {
    for (const name of readdirSync(join(FIXTURES_ROOT, provider)).sort()) {
      const format = formatOf(name);
      if (format === undefined) continue;
      const file = `${provider}/${name}`;
      const text = readFileSync(join(FIXTURES_ROOT, file), 'utf8');
      const raw = PARSERS[format](text, provider, name);
      files.push({
        file,
        provider,
        format,
        exchanges: raw.map(({ request, response }, index) => ({
          id: `${provider}/${stemOf(name)}#${index}`,
          provider,
          file,
          index,
          request,
          response,
        })),
      });
    }
  }
  return files;
}

/** Look one exchange up by id; throws so a renamed fixture fails loudly instead of skipping. */
export function loadExchange(id: string, files: FixtureFile[] = loadFixtures()): FixtureExchange {
  for (const f of files) {
    const found = f.exchanges.find((e) => e.id === id);
    if (found !== undefined) return found;
  }
  throw new Error(`fixture exchange not found: ${id}`);
}

/**
 * Split a stream body into the frames a server would plausibly flush one by one.
 * SSE: cut after every blank line (`\n\n`, `\r\n\r\n`, `\r\r`).
 * Gemini JSON array (`[{…}\n,\r\n{…}\n]`): cut before each `,\r\n`, so every
 * frame but the first starts with the separator and the closing `]` stays on
 * the last element.
 * Concatenating the result always gives back the input, byte for byte.
 */
export function sseEvents(body: Buffer): Buffer[] {
  const cuts = isJsonArrayStream(body) ? jsonArrayCuts(body) : sseCuts(body);
  const frames: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    frames.push(body.subarray(start, cut));
    start = cut;
  }
  if (start < body.length) frames.push(body.subarray(start));
  return frames;
}

// ---------------------------------------------------------------------------

interface RawExchange {
  request: FixtureRequest;
  response: FixtureResponse;
}

type Parser = (text: string, provider: Provider, name: string) => RawExchange[];

const PARSERS: Record<FixtureFormat, Parser> = {
  'vcr-yaml': parseVcrYaml,
  'genai-replay': parseGenaiReplay,
  'body-json': parseBodyJson,
  'sse-chunks': parseSseChunks,
};

function formatOf(name: string): FixtureFormat | undefined {
  if (name.endsWith('.yaml')) return 'vcr-yaml';
  if (name.endsWith('.replay.json')) return 'genai-replay';
  if (name.endsWith('.chunks.txt')) return 'sse-chunks';
  if (name.endsWith('.json')) return 'body-json';
  return undefined;
}

function stemOf(name: string): string {
  return name.replace(/(\.replay\.json|\.chunks\.txt|\.json|\.yaml)$/, '');
}

/** Headers that describe the stored bytes rather than the decoded body we hand out. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-encoding']);

function encodingOf(value: string | undefined): ContentEncoding | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'gzip' || v === 'br' || v === 'deflate' ? v : undefined;
}

function decode(bytes: Uint8Array, encoding: ContentEncoding | undefined): Buffer {
  const buf = Buffer.from(bytes);
  switch (encoding) {
    case 'gzip':
      return gunzipSync(buf);
    case 'br':
      return brotliDecompressSync(buf);
    case 'deflate':
      return inflateSync(buf);
    case undefined:
      return buf;
  }
}

function isStreamed(contentType: string, provider: Provider, path: string): boolean {
  if (/text\/event-stream/i.test(contentType)) return true;
  // Without `alt=sse` Gemini streams one JSON array under an application/json content type.
  return provider === 'gemini' && path.includes(':streamGenerateContent') && !/[?&]alt=sse\b/.test(path);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function requestWithBody(method: string, path: string, headers: Record<string, string>, bodyText: string | undefined, bodyJson: unknown): FixtureRequest {
  const request: FixtureRequest = { method, path, headers };
  if (bodyText !== undefined) request.bodyText = bodyText;
  if (bodyJson !== undefined) request.bodyJson = bodyJson;
  return request;
}

function responseOf(fields: Omit<FixtureResponse, 'encoding'>, encoding: ContentEncoding | undefined): FixtureResponse {
  return encoding === undefined ? fields : { ...fields, encoding };
}

function statusTextOf(status: number): string {
  return STATUS_CODES[status] ?? '';
}

// --- vcrpy YAML (pydantic-ai and simonw/* cassettes) -----------------------

interface VcrInteraction {
  request: {
    method: string;
    uri: string;
    headers?: Record<string, unknown[]>;
    body?: unknown;
    parsed_body?: unknown;
  };
  response: {
    status: { code: number; message?: string };
    headers?: Record<string, unknown[]>;
    body?: { string?: unknown };
    parsed_body?: unknown;
  };
}

function parseVcrYaml(text: string, provider: Provider): RawExchange[] {
  // Default YAML 1.2 core schema on purpose: vcrpy writes through PyYAML, which leaves
  // keys like `n` unquoted; a YAML 1.1 parser would turn OpenAI's `n: 1` into `false: 1`.
  const doc = parseYaml(text) as { interactions: VcrInteraction[] };
  return doc.interactions.map(({ request, response }) => {
    const path = request.uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';

    const reqHeaders: Record<string, string> = {};
    for (const [name, values] of Object.entries(request.headers ?? {})) {
      reqHeaders[name.toLowerCase()] = values.map(String).join(', ');
    }
    let reqText: string | undefined;
    let reqJson: unknown;
    if (request.parsed_body !== undefined) {
      reqJson = request.parsed_body;
      reqText = JSON.stringify(request.parsed_body);
    } else if (typeof request.body === 'string') {
      reqText = request.body;
      reqJson = tryJson(request.body);
    } else if (request.body instanceof Uint8Array) {
      reqText = Buffer.from(request.body).toString('utf8');
      reqJson = tryJson(reqText);
    }

    const headers: [string, string][] = [];
    let encoding: ContentEncoding | undefined;
    let contentType = '';
    for (const [name, values] of Object.entries(response.headers ?? {})) {
      const lower = name.toLowerCase();
      const strings = values.map(String);
      if (lower === 'content-encoding') encoding = encodingOf(strings[0]);
      if (lower === 'content-type' && contentType === '') contentType = strings[0] ?? '';
      if (FRAMING_HEADERS.has(lower)) continue;
      for (const value of strings) headers.push([name, value]);
    }

    let body: Buffer;
    const stored = response.body?.string;
    if (response.parsed_body !== undefined) {
      // pydantic-ai kept only the parsed JSON, so the original bytes are gone.
      body = Buffer.from(JSON.stringify(response.parsed_body), 'utf8');
    } else if (stored instanceof Uint8Array) {
      // vcrpy without decode_compressed_response keeps the wire bytes as `!!binary`.
      body = decode(stored, encoding);
    } else if (typeof stored === 'string') {
      body = Buffer.from(stored, 'utf8');
    } else {
      body = Buffer.alloc(0);
    }

    const status = response.status.code;
    return {
      request: requestWithBody(request.method.toUpperCase(), path, reqHeaders, reqText, reqJson),
      response: responseOf(
        {
          status,
          statusText: response.status.message ?? statusTextOf(status),
          headers,
          body,
          streamed: isStreamed(contentType, provider, path),
          contentType,
        },
        encoding,
      ),
    };
  });
}

// --- js-genai replay files ---------------------------------------------------

interface GenaiReplay {
  interactions: {
    request: { method: string; url: string; headers?: Record<string, string>; bodySegments?: unknown[] };
    response: { statusCode: number; headers?: Record<string, string>; bodySegments?: unknown[] };
  }[];
}

function parseGenaiReplay(text: string, provider: Provider): RawExchange[] {
  const doc = JSON.parse(text) as GenaiReplay;
  return doc.interactions.map(({ request, response }) => {
    const reqHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) reqHeaders[name.toLowerCase()] = value;
    const reqSegment = request.bodySegments?.[0];
    const reqText = reqSegment === undefined ? undefined : JSON.stringify(reqSegment);

    const headers: [string, string][] = [];
    let encoding: ContentEncoding | undefined;
    let contentType = '';
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower === 'content-encoding') encoding = encodingOf(value);
      if (lower === 'content-type') contentType = value;
      if (!FRAMING_HEADERS.has(lower)) headers.push([name, value]);
    }

    const status = response.statusCode;
    const segments = response.bodySegments ?? [];
    const streamed = isStreamed(contentType, provider, request.url);
    let bodyText: string;
    if (streamed && status < 300) {
      // Gemini's SSE framing: data lines only, CRLF line ends, no terminator.
      bodyText = segments.map((s) => `data: ${JSON.stringify(s)}\r\n\r\n`).join('');
    } else {
      // Google sends error bodies as 2-space JSON plus a newline (that reproduces the
      // recorded Content-Length exactly), even under an event-stream content type.
      bodyText = segments.map((s) => `${JSON.stringify(s, null, 2)}\n`).join('');
    }

    return {
      request: requestWithBody(request.method.toUpperCase(), request.url, reqHeaders, reqText, reqSegment),
      response: responseOf(
        {
          status,
          statusText: statusTextOf(status),
          headers,
          body: Buffer.from(bodyText, 'utf8'),
          streamed,
          contentType,
        },
        encoding,
      ),
    };
  });
}

// --- vercel/ai bare bodies -----------------------------------------------------

/** vercel/ai stores no request, so the endpoint is the one that body shape comes from. */
function syntheticPath(provider: Provider, name: string): string {
  switch (provider) {
    case 'openai':
      return name.startsWith('responses-') ? '/v1/responses' : '/v1/chat/completions';
    case 'anthropic':
      return '/v1/messages';
    case 'gemini':
      // The model is unknown; the name only has to look like a real model id.
      return '/v1beta/models/gemini-2.0-flash:generateContent';
  }
}

function syntheticStatus(name: string): number {
  const match = /(?:^|-)error-(\d{3})-/.exec(name);
  return match?.[1] === undefined ? 200 : Number(match[1]);
}

function syntheticExchange(provider: Provider, name: string, body: Buffer, contentType: string): RawExchange {
  const path = syntheticPath(provider, name);
  const status = syntheticStatus(name);
  return {
    request: { method: 'POST', path, headers: {} },
    response: {
      status,
      statusText: statusTextOf(status),
      headers: [['content-type', contentType]],
      body,
      streamed: isStreamed(contentType, provider, path),
      contentType,
    },
  };
}

function parseBodyJson(text: string, provider: Provider, name: string): RawExchange[] {
  const contentType = provider === 'gemini' ? 'application/json; charset=UTF-8' : 'application/json';
  return [syntheticExchange(provider, name, Buffer.from(text, 'utf8'), contentType)];
}

function parseSseChunks(text: string, provider: Provider, name: string): RawExchange[] {
  const payloads = text.split(/\r?\n/).filter((line) => line.length > 0);
  const frames = payloads.map((payload) => {
    // OpenAI Responses and Anthropic name each event after the payload's `type`;
    // Chat Completions and Gemini send bare `data:` lines.
    const parsed = tryJson(payload);
    const type = provider !== 'gemini' && typeof parsed === 'object' && parsed !== null && 'type' in parsed ? (parsed as { type: unknown }).type : undefined;
    const eol = provider === 'gemini' ? '\r\n' : '\n';
    const event = typeof type === 'string' ? `event: ${type}${eol}` : '';
    return `${event}data: ${payload}${eol}${eol}`;
  });
  const contentType = provider === 'gemini' ? 'text/event-stream' : 'text/event-stream; charset=utf-8';
  return [syntheticExchange(provider, name, Buffer.from(frames.join(''), 'utf8'), contentType)];
}

// --- stream splitting ------------------------------------------------------------

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;

function isJsonArrayStream(body: Buffer): boolean {
  for (const byte of body) {
    if (byte === 0x20 || byte === 0x09 || byte === LF || byte === CR) continue;
    return byte === OPEN_BRACKET;
  }
  return false;
}

function jsonArrayCuts(body: Buffer): number[] {
  const cuts: number[] = [];
  for (let i = 1; i + 2 < body.length; i++) {
    if (body[i - 1] === LF && body[i] === COMMA && body[i + 1] === CR && body[i + 2] === LF) cuts.push(i);
  }
  return cuts;
}

/** Length of the line terminator starting at `i` (CRLF, LF or CR), 0 if none. */
function eolAt(body: Buffer, i: number): number {
  const byte = body[i];
  if (byte === CR) return body[i + 1] === LF ? 2 : 1;
  return byte === LF ? 1 : 0;
}

function sseCuts(body: Buffer): number[] {
  const cuts: number[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = eolAt(body, i);
    if (eol === 0) {
      i++;
      continue;
    }
    const next = i + eol;
    const blank = eolAt(body, next);
    if (blank > 0) {
      cuts.push(next + blank);
      i = next + blank;
    } else {
      i = next;
    }
  }
  return cuts.filter((cut) => cut < body.length);
}
