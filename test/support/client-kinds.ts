/**
 * Every way a request can leave a Node process that cassettes must account for, each as one
 * POST of a chat completion to a base URL. What a call resolves to (a status) or rejects with is
 * the caller's to judge: a canary counts the connections they make.
 */
import { request as httpRequest } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import OpenAI from 'openai';
import { Agent, Client, Pool, ProxyAgent, fetch as undiciFetch, request as undiciRequest } from 'undici';

export interface Targets {
  /** HTTP/1.1 base URL. */
  url: string;
  /** h2c base URL. */
  h2url: string;
  /** HTTPS base URL and the CA that signed it. */
  tlsUrl: string;
  ca: Buffer;
}

const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'canary' }] });
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-canary-key-123456' };

function viaNode(send: typeof httpRequest, url: string, options: { ca?: Buffer } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: HEADERS, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

function viaHttp2(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(base);
    session.on('error', reject);
    let stream: ReturnType<typeof session.request>;
    try {
      stream = session.request({ ':method': 'POST', ':path': PATH, ...HEADERS });
    } catch (error) {
      session.destroy();
      reject(error);
      return;
    }
    stream.on('error', reject);
    stream.on('response', (headers) => {
      stream.resume();
      stream.on('end', () => {
        session.close();
        resolve(Number(headers[':status']));
      });
    });
    stream.end(BODY);
  });
}

/** Closes what a call opened (its own dispatcher), whatever happened to the call. */
async function withDispatcher<D extends { close(): Promise<void> }>(dispatcher: D, call: (d: D) => Promise<number>): Promise<number> {
  try {
    return await call(dispatcher);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/** A fetch Response's status, once its body is read. */
async function read(response: { status: number; arrayBuffer(): Promise<ArrayBuffer> }): Promise<number> {
  await response.arrayBuffer();
  return response.status;
}

/** An undici.request response's status, once its body is read. */
async function readUndici(response: { statusCode: number; body: { arrayBuffer(): Promise<ArrayBuffer> } }): Promise<number> {
  await response.body.arrayBuffer();
  return response.statusCode;
}

const openaiStatus = async (client: OpenAI): Promise<number> => {
  const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'canary' }] });
  return completion.choices.length > 0 ? 200 : 0;
};

/** Calls through the interceptor's own paths: recorded and replayed inside a cassette. */
export const INTERCEPTED: Record<string, (t: Targets) => Promise<number>> = {
  'global fetch': (t) => fetch(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY }).then(read),
  'undici request': (t) => undiciRequest(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY }).then(readUndici),
  'undici fetch': (t) => undiciFetch(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY }).then(read),
  'node:http': (t) => viaNode(httpRequest, `${t.url}${PATH}`),
  'node:https': (t) => viaNode(httpsRequest, `${t.tlsUrl}${PATH}`, { ca: t.ca }),
  openai: (t) => openaiStatus(new OpenAI({ apiKey: 'sk-canary-key-123456', baseURL: `${t.url}/v1`, maxRetries: 0 })),
};

/** Calls that slip past the global dispatcher or are not HTTP/1.1: stopped inside a cassette. */
export const BYPASSING: Record<string, (t: Targets) => Promise<number>> = {
  'node:http2': (t) => viaHttp2(t.h2url),
  'undici request, own Agent': (t) =>
    withDispatcher(new Agent(), (dispatcher) =>
      undiciRequest(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY, dispatcher }).then(readUndici),
    ),
  'undici request, own Pool': (t) =>
    withDispatcher(new Pool(t.url), (dispatcher) =>
      undiciRequest(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY, dispatcher }).then(readUndici),
    ),
  'undici Client.request': (t) =>
    withDispatcher(new Client(t.url), (client) => client.request({ path: PATH, method: 'POST', headers: HEADERS, body: BODY }).then(readUndici)),
  'undici fetch through a ProxyAgent': (t) =>
    withDispatcher(new ProxyAgent(t.url), (dispatcher) =>
      undiciFetch(`${t.url}${PATH}`, { method: 'POST', headers: HEADERS, body: BODY, dispatcher }).then(read),
    ),
  'global fetch with a streamed body and its own Agent': (t) =>
    withDispatcher(new Agent(), (dispatcher) =>
      fetch(`${t.url}${PATH}`, {
        method: 'POST',
        headers: HEADERS,
        body: new Blob([BODY]).stream(),
        duplex: 'half',
        dispatcher,
      } as RequestInit).then(read),
    ),
  'openai with fetchOptions.dispatcher': (t) =>
    withDispatcher(new Agent(), (dispatcher) =>
      openaiStatus(new OpenAI({ apiKey: 'sk-canary-key-123456', baseURL: `${t.url}/v1`, maxRetries: 0, fetchOptions: { dispatcher } as never })),
    ),
};
