/**
 * One app-style call per recorded fixture exchange, made with the real provider SDK (or raw
 * fetch where no SDK call fits), returning a JSON-serialisable picture of what the app saw.
 *
 * This file is also loaded by `replay-child.ts` in a fresh Node process through Node's own type
 * stripping, so it must stay erasable TypeScript (no enums, namespaces or parameter
 * properties) and must not import other test files at run time (type-only imports are fine).
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { FixtureExchange } from './fixtures.js';

/** Keys long enough (≥ 8 chars) for the redactor to scrub them anywhere they appear. */
export const API_KEYS = {
  openai: 'sk-test-secret-123456',
  anthropic: 'sk-ant-test-secret-123456',
  gemini: 'AIza-test-secret-123456',
} as const;

export type SpecProvider = 'openai' | 'anthropic' | 'gemini';

/** The part of a fixture exchange a call needs: plain JSON, so it can be handed to a child process. */
export interface CallSpec {
  id: string;
  provider: SpecProvider;
  method: string;
  /** Path plus query, as recorded. */
  path: string;
  bodyJson?: unknown;
  bodyText?: string;
  streamed: boolean;
  status: number;
  /** vercel/ai fixtures: the request was synthesised by the loader (no recorded body). */
  synthetic: boolean;
}

export type CallKind =
  | 'fetch'
  | 'openai-chat'
  | 'openai-chat-stream'
  | 'openai-responses'
  | 'openai-responses-stream'
  | 'openai-embeddings'
  | 'anthropic-create'
  | 'anthropic-stream'
  | 'gemini-generate'
  | 'gemini-stream'
  | 'gemini-embed';

export interface CallOptions {
  /** `http://host:port` of the (possibly closed) fixture server, no trailing slash. */
  baseUrl: string;
  /** SDK retries; default 0. */
  maxRetries?: number;
  signal?: AbortSignal;
}

export interface SerializedError {
  name: string;
  status: number | null;
  message: string;
  /** `code` of the error or of its innermost cause (network failures). */
  code: string | null;
}

export function specOf(exchange: FixtureExchange): CallSpec {
  const spec: CallSpec = {
    id: exchange.id,
    provider: exchange.provider,
    method: exchange.request.method,
    path: exchange.request.path,
    streamed: exchange.response.streamed,
    status: exchange.response.status,
    synthetic: exchange.request.bodyText === undefined,
  };
  if (exchange.request.bodyJson !== undefined) spec.bodyJson = exchange.request.bodyJson;
  if (exchange.request.bodyText !== undefined) spec.bodyText = exchange.request.bodyText;
  return spec;
}

export function callKindOf(spec: CallSpec): CallKind {
  if (spec.synthetic) return 'fetch';
  const body = (spec.bodyJson ?? {}) as { stream?: unknown };
  const stream = body.stream === true;
  switch (spec.provider) {
    case 'openai':
      if (spec.path.startsWith('/v1/embeddings')) return 'openai-embeddings';
      if (spec.path.startsWith('/v1/responses')) return stream ? 'openai-responses-stream' : 'openai-responses';
      return stream ? 'openai-chat-stream' : 'openai-chat';
    case 'anthropic':
      return stream ? 'anthropic-stream' : 'anthropic-create';
    case 'gemini':
      if (spec.path.includes(':streamGenerateContent')) {
        // Without alt=sse the SDK cannot read the JSON-array stream: an app would use fetch.
        return /[?&]alt=sse\b/.test(spec.path) ? 'gemini-stream' : 'fetch';
      }
      if (spec.path.includes(':batchEmbedContents')) return 'gemini-embed';
      return 'gemini-generate';
  }
}

/** Runs the call for `spec`; never throws for an API or network error (it is part of the result). */
export async function runCall(spec: CallSpec, options: CallOptions): Promise<unknown> {
  const kind = callKindOf(spec);
  const result = await CALLS[kind](spec, options);
  return normalise(result);
}

// ---------------------------------------------------------------------------

type Call = (spec: CallSpec, options: CallOptions) => Promise<unknown>;

/** Request bodies are loose JSON; the SDK typings are not the point here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export function openaiClient(options: CallOptions): OpenAI {
  return new OpenAI({ apiKey: API_KEYS.openai, baseURL: `${options.baseUrl}/v1`, maxRetries: options.maxRetries ?? 0 });
}

export function anthropicClient(options: CallOptions): Anthropic {
  return new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: options.baseUrl, maxRetries: options.maxRetries ?? 0 });
}

export function geminiClient(options: CallOptions): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: API_KEYS.gemini,
    httpOptions: { baseUrl: options.baseUrl, apiVersion: 'v1beta', retryOptions: { attempts: 1 } },
  });
}

function requestOptions(options: CallOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

/** The SDK's answer or its error, as JSON. */
async function settle(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return toJson(await work());
  } catch (error) {
    return { error: serializeError(error) };
  }
}

/** Events the stream yielded, the helper's final object, and the error that ended it if any. */
async function settleStream(iterate: (events: { push(event: unknown): void }) => Promise<void>, final: (() => Promise<unknown>) | undefined): Promise<unknown> {
  const events: unknown[] = [];
  // Snapshot each event as it is yielded: anthropic's MessageStream keeps mutating the
  // message_start event's `message` while it accumulates the rest of the stream.
  const sink = { push: (event: unknown): void => void events.push(toJson(event)) };
  try {
    await iterate(sink);
    const result: { events: unknown[]; final?: unknown } = { events };
    if (final) result.final = toJson(await final());
    return result;
  } catch (error) {
    return { events, error: serializeError(error) };
  }
}

const CALLS: Record<CallKind, Call> = {
  async fetch(spec, options) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (spec.provider === 'gemini') headers['x-goog-api-key'] = API_KEYS.gemini;
    else if (spec.provider === 'anthropic') headers['x-api-key'] = API_KEYS.anthropic;
    else headers['authorization'] = `Bearer ${API_KEYS.openai}`;
    try {
      const init: RequestInit = { method: spec.method, headers, body: spec.bodyText ?? '{}' };
      if (options.signal) init.signal = options.signal;
      const res = await fetch(`${options.baseUrl}${spec.path}`, init);
      return {
        status: res.status,
        statusText: res.statusText,
        contentType: res.headers.get('content-type'),
        body: await res.text(),
      };
    } catch (error) {
      return { error: serializeError(error) };
    }
  },

  async 'openai-chat'(spec, options) {
    const client = openaiClient(options);
    return settle(() => client.chat.completions.create(spec.bodyJson as Loose, requestOptions(options)));
  },

  async 'openai-chat-stream'(spec, options) {
    const client = openaiClient(options);
    const stream = client.chat.completions.stream(spec.bodyJson as Loose, requestOptions(options));
    return settleStream(
      async (events) => {
        for await (const chunk of stream) events.push(chunk);
      },
      () => stream.finalChatCompletion(),
    );
  },

  async 'openai-responses'(spec, options) {
    const client = openaiClient(options);
    return settle(() => client.responses.create(spec.bodyJson as Loose, requestOptions(options)));
  },

  async 'openai-responses-stream'(spec, options) {
    const client = openaiClient(options);
    const stream = client.responses.stream(spec.bodyJson as Loose, requestOptions(options));
    return settleStream(
      async (events) => {
        for await (const event of stream) events.push(event);
      },
      () => stream.finalResponse(),
    );
  },

  async 'openai-embeddings'(spec, options) {
    const client = openaiClient(options);
    return settle(() => client.embeddings.create(spec.bodyJson as Loose, requestOptions(options)));
  },

  async 'anthropic-create'(spec, options) {
    const client = anthropicClient(options);
    const messages = spec.path.includes('beta=true') ? client.beta.messages : client.messages;
    return settle(() => (messages as Loose).create(spec.bodyJson, requestOptions(options)));
  },

  async 'anthropic-stream'(spec, options) {
    const client = anthropicClient(options);
    const { stream: _stream, ...body } = spec.bodyJson as Loose;
    const messages = spec.path.includes('beta=true') ? client.beta.messages : client.messages;
    let stream: Loose;
    try {
      stream = (messages as Loose).stream(body, requestOptions(options));
    } catch (error) {
      return { events: [], error: serializeError(error) };
    }
    return settleStream(
      async (events) => {
        for await (const event of stream) events.push(event);
      },
      () => stream.finalMessage(),
    );
  },

  async 'gemini-generate'(spec, options) {
    const ai = geminiClient(options);
    return settle(() => ai.models.generateContent(geminiParams(spec, options)));
  },

  async 'gemini-stream'(spec, options) {
    const ai = geminiClient(options);
    return settleStream(async (events) => {
      const stream = await ai.models.generateContentStream(geminiParams(spec, options));
      for await (const chunk of stream) events.push(chunk);
    }, undefined);
  },

  async 'gemini-embed'(spec, options) {
    const ai = geminiClient(options);
    const body = spec.bodyJson as { requests: { content: unknown; taskType?: string; outputDimensionality?: number }[] };
    const first = body.requests[0];
    const config: Record<string, unknown> = {};
    if (first?.taskType !== undefined) config['taskType'] = first.taskType;
    if (first?.outputDimensionality !== undefined) config['outputDimensionality'] = first.outputDimensionality;
    if (options.signal) config['abortSignal'] = options.signal;
    return settle(() => ai.models.embedContent({ model: modelOf(spec.path), contents: body.requests.map((r) => r.content) as Loose, config }));
  },
};

function modelOf(path: string): string {
  const match = /\/models\/([^:/?]+):/.exec(path);
  if (!match?.[1]) throw new Error(`no model in ${path}`);
  return match[1];
}

/** A Gemini REST body turned back into the SDK's parameters. */
function geminiParams(spec: CallSpec, options: CallOptions): Loose {
  const { contents, generationConfig, systemInstruction, tools, toolConfig, safetySettings } = spec.bodyJson as Loose;
  const config: Record<string, unknown> = { ...(generationConfig ?? {}) };
  if (systemInstruction !== undefined) config['systemInstruction'] = systemInstruction;
  if (tools !== undefined) config['tools'] = tools;
  if (toolConfig !== undefined) config['toolConfig'] = toolConfig;
  if (safetySettings !== undefined) config['safetySettings'] = safetySettings;
  if (options.signal) config['abortSignal'] = options.signal;
  return { model: modelOf(spec.path), contents, config };
}

export function serializeError(error: unknown): SerializedError {
  const e = (error ?? {}) as { name?: unknown; status?: unknown; message?: unknown; constructor?: { name?: string } };
  const ctor = e.constructor?.name;
  const name = ctor && ctor !== 'Error' && ctor !== 'Object' ? ctor : typeof e.name === 'string' ? e.name : 'Error';
  return {
    name,
    status: typeof e.status === 'number' ? e.status : null,
    message: typeof e.message === 'string' ? e.message : String(error),
    code: innermostCode(error),
  };
}

export function innermostCode(error: unknown): string | null {
  let found: string | null = null;
  let node: unknown = error;
  for (let depth = 0; depth < 8 && node !== null && typeof node === 'object'; depth++) {
    const code = (node as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    node = (node as { cause?: unknown }).cause;
  }
  return found;
}

function toJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/**
 * Response headers that describe the transport rather than the content. The cassette stores the
 * decoded body and drops them on purpose; @google/genai copies every header into
 * `sdkHttpResponse.headers`, so they are left out of the comparison.
 */
const TRANSPORT_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-encoding']);

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'sdkHttpResponse' && item !== null && typeof item === 'object') {
      const headers = (item as { headers?: Record<string, string> }).headers ?? {};
      out[key] = {
        ...item,
        headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()))),
      };
      continue;
    }
    out[key] = normalise(item);
  }
  return out;
}
