import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWireResponse } from '../../../src/mock/wire/build-wire-response.js';
import { detectEndpoint } from '../../../src/mock/wire/detect-endpoint.js';
import type { WireTarget } from '../../../src/mock/wire/types.js';
import type { MockReply } from '../../../src/protocol/mock-reply.js';

/** A hand-made HTTP answer, for what the builders never produce (malformed bodies). */
export interface RawAnswer {
  readonly http: { readonly status: number; readonly headers: Record<string, string>; readonly body: string; readonly delayMs?: number };
}

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly target: WireTarget;
  readonly body: unknown;
}

export type Responder = (request: WireRequest) => MockReply | RawAnswer;

export interface WireServer {
  readonly origin: string;
  readonly requests: WireRequest[];
  respond: Responder;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A synthetic provider on 127.0.0.1 (random port) answering in each provider's wire format from
 * the `buildWireResponse` builders, chunk by chunk with their delays. Stops writing as soon as the
 * client goes away, and `close()` leaves no timer or socket behind.
 */
export async function startWireServer(respond: Responder): Promise<WireServer> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });

  const state: { respond: Responder; requests: WireRequest[] } = { respond, requests: [] };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const target = detectEndpoint(req.method ?? 'GET', `http://127.0.0.1${req.url ?? '/'}`);
    if (!target) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no mock for ${req.url}` } }));
      return;
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const request: WireRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, target, body };
    state.requests.push(request);
    const answer = state.respond(request);
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    if (typeof answer === 'object' && 'http' in answer) {
      await sleep(answer.http.delayMs ?? 0);
      if (closed) return;
      res.writeHead(answer.http.status, answer.http.headers).end(answer.http.body);
      return;
    }
    const wire = buildWireResponse(target, body, answer);
    const [first, ...rest] = wire.chunks;
    await sleep(first?.delayMs ?? 0);
    if (closed) return;
    res.writeHead(wire.status, wire.headers);
    res.flushHeaders();
    if (first) res.write(first.data);
    for (const chunk of rest) {
      await sleep(chunk.delayMs);
      if (closed) return;
      res.write(chunk.data);
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get respond() {
      return state.respond;
    },
    set respond(next: Responder) {
      state.respond = next;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
