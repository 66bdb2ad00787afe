/**
 * A careless provider on 127.0.0.1 (plain HTTP and HTTPS): it echoes everything a request
 * carried — every header, every query value, the body — back in response headers, in a JSON
 * body and in server-sent events shaped like OpenAI's, Anthropic's or Gemini's. The stream is
 * written in pieces cut inside every secret it echoes (`splitAt` bytes into each) and inside every
 * multi-byte character, each piece its own network write, so a client reads every secret in two
 * chunks, some of them not valid UTF-8 on their own.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export const TEST_CERT = readFileSync(new URL('./tls/localhost-test-only.crt', import.meta.url));
const TEST_KEY = readFileSync(new URL('./tls/localhost-test-only.key', import.meta.url));

export interface EchoServer {
  url: string;
  httpsUrl: string;
  /** Requests answered so far. */
  hits: number;
  /** The secrets to cut the stream inside of (longest first is not needed: each is found on its own). */
  secrets: string[];
  /** Bytes into each echoed secret where the stream is cut; 0: not cut. */
  splitAt: number;
  /** Cuts that fell inside a secret, over every stream written. */
  cuts: number;
  close(): Promise<void>;
}

type Shape = 'openai' | 'anthropic' | 'gemini' | 'plain';

function shapeOf(path: string): Shape {
  if (path.includes('/chat/completions') || path.includes('/files')) return 'openai';
  if (path.includes('/messages')) return 'anthropic';
  if (path.includes(':generateContent') || path.includes(':streamGenerateContent')) return 'gemini';
  return 'plain';
}

function streamed(path: string, body: string): boolean {
  if (path.includes(':streamGenerateContent') || /[?&]stream=1\b/.test(path)) return true;
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

function events(shape: Shape, echo: string): string {
  switch (shape) {
    case 'openai':
      return (
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: echo }, finish_reason: null }] })}\n\n` +
        'data: [DONE]\n\n'
      );
    case 'anthropic':
      return (
        `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: echo } })}\n\n` +
        `event: message_stop\ndata: ${JSON.stringify({ type: 'message_stop' })}\n\n`
      );
    case 'gemini':
      return `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: echo }], role: 'model' }, index: 0 }] })}\r\n\r\n`;
    case 'plain':
      return `data: ${JSON.stringify({ echo })}\n\n`;
  }
}

function document(shape: Shape, echo: string): unknown {
  switch (shape) {
    case 'openai':
      return {
        id: 'c1',
        object: 'chat.completion',
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: echo }, finish_reason: 'stop' }],
        echo,
      };
    case 'anthropic':
      return {
        id: 'm1',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [{ type: 'text', text: echo }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1 },
      };
    case 'gemini':
      return { candidates: [{ content: { parts: [{ text: echo }], role: 'model' }, index: 0 }], echo };
    case 'plain':
      return { echo };
  }
}

/**
 * Where to cut `bytes`: `splitAt` bytes into every place a secret sits, and inside every
 * multi-byte character (such a chunk is not UTF-8 on its own: a recording stores it as base64).
 */
function cutsIn(bytes: Buffer, secrets: readonly string[], splitAt: number): number[] {
  if (splitAt <= 0) return [];
  const cuts = new Set<number>();
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0xc0) cuts.add(i + 1);
  for (const secret of secrets) {
    const needle = Buffer.from(secret);
    if (splitAt >= needle.length) continue;
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) cuts.add(at + splitAt);
  }
  return [...cuts].sort((a, b) => a - b);
}

export async function startEchoServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const state: EchoServer = {
    url: '',
    httpsUrl: '',
    hits: 0,
    secrets: [],
    splitAt: 0,
    cuts: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    state.hits++;
    const path = req.url ?? '/';
    const body = Buffer.concat(parts).toString('utf8');
    const query = new URL(path, 'http://x').searchParams;
    const echo = JSON.stringify({ headers: req.headers, query: Object.fromEntries(query), body });
    const shape = shapeOf(path);
    const header = (name: string): string => String(req.headers[name] ?? '');
    res.setHeader('x-echo-authorization', header('authorization'));
    res.setHeader('x-echo-api-key', header('x-api-key'));
    res.setHeader('x-echo-goog', header('x-goog-api-key'));
    res.setHeader('x-echo-tenant', header('x-tenant-secret'));
    res.setHeader('x-echo-query', path.split('?')[1] ?? '');
    res.setHeader('set-cookie', `sid=${header('x-tenant-secret') || 'none'}; Path=/; HttpOnly`);
    const live = streamed(path, body);
    res.setHeader('content-type', live ? 'text/event-stream' : 'application/json');
    const bytes = Buffer.from(live ? events(shape, echo) : JSON.stringify(document(shape, echo)));
    const cuts = cutsIn(bytes, state.secrets, state.splitAt);
    if (!live) res.setHeader('content-length', bytes.length);
    res.flushHeaders();
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      await delay(3);
      res.write(bytes.subarray(at, cut));
      at = cut;
    }
    state.cuts += cuts.length;
    res.end();
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  const servers: Server[] = [createHttpServer(listener), createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, listener)];
  for (const server of servers) {
    server.on('connection', (socket: Socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => socket.setNoDelay(true));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  state.url = `http://127.0.0.1:${(servers[0]!.address() as AddressInfo).port}`;
  state.httpsUrl = `https://127.0.0.1:${(servers[1]!.address() as AddressInfo).port}`;
  return state;
}
