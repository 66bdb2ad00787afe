/**
 * A local HTTP server that answers with recorded exchanges, so the real provider
 * SDKs can be pointed at it through their base-URL options.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip, type Gzip, gzipSync, constants as zlibConstants } from 'node:zlib';
import { type FixtureExchange, sseEvents } from './fixtures.js';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FixtureServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  /** Answers the next requests in this order (FIFO), whatever they ask. */
  enqueue(...exchanges: FixtureExchange[]): void;
  received: ReceivedRequest[];
  /** Stops listening and destroys open (keep-alive or mid-stream) sockets. */
  close(): Promise<void>;
  /**
   * Make the next response reset the connection (TCP RST) after its headers and n body
   * chunks (for failure tests). A streamed response's chunks are its frames; a
   * non-streamed body is a single chunk announced with its full content-length, so
   * only n = 0 cuts it short.
   */
  resetAfterChunks(n: number): void;
}

export interface FixtureServerOptions {
  /** Delay between streamed frames, default 3 ms. */
  gapMs?: number;
  /** Delay before a streamed response's headers, default 5 ms. */
  ttfbMs?: number;
}

/** Hop-by-hop or framing headers that Node must compute for the bytes we actually send. */
const SKIPPED_HEADERS = new Set(['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding']);

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const gapMs = options.gapMs ?? 3;
  const ttfbMs = options.ttfbMs ?? 5;
  const queue: FixtureExchange[] = [];
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let pendingReset: number | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? '/';
    received.push({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });

    const exchange = queue.shift();
    if (exchange === undefined) {
      const body = JSON.stringify({ error: `fixture server: nothing enqueued for ${req.method ?? 'GET'} ${url}` });
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const resetAfter = pendingReset;
    pendingReset = undefined;

    const { response } = exchange;
    // An empty reason phrase would go out verbatim as `HTTP/1.1 200 `.
    const statusText = response.statusText || (STATUS_CODES[response.status] ?? 'Unknown');
    const headers = flatHeaders(response.headers);
    const gzip = response.encoding === 'gzip';
    if (gzip) headers.push('content-encoding', 'gzip');

    if (!response.streamed) {
      const payload = gzip ? gzipSync(response.body) : response.body;
      if (resetAfter !== undefined) {
        // Announce the full length so the client can tell the body was cut short.
        headers.push('content-length', String(payload.length));
        res.writeHead(response.status, statusText, headers);
        res.flushHeaders();
        if (resetAfter > 0) await writeAndWait(res, payload);
        await resetConnection(res, gapMs);
        return;
      }
      headers.push('content-length', String(payload.length));
      res.writeHead(response.status, statusText, headers);
      res.end(payload);
      return;
    }

    await sleep(ttfbMs);
    if (res.destroyed) return;
    // No content-length: Node falls back to chunked encoding, as the providers use.
    res.writeHead(response.status, statusText, headers);
    res.flushHeaders();

    let sink: ServerResponse | Gzip = res;
    if (gzip) {
      const compressor = createGzip();
      compressor.pipe(res);
      sink = compressor;
    }
    const frames = sseEvents(response.body);
    for (const [i, frame] of frames.entries()) {
      if (resetAfter !== undefined && i >= resetAfter) break;
      if (res.destroyed) return;
      if (i > 0) await sleep(gapMs);
      await writeAndWait(sink, frame);
      // A sync flush pushes every compressed frame out now instead of when the buffer fills.
      if (sink !== res) await flushGzip(sink as Gzip);
    }
    if (resetAfter !== undefined) {
      await resetConnection(res, gapMs);
      return;
    }
    sink.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Usually the client hung up mid-stream; never leave the response half-open.
      if (!res.destroyed) res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    enqueue(...exchanges) {
      queue.push(...exchanges);
    },
    resetAfterChunks(n) {
      pendingReset = n;
    },
    async close() {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * Linux drops received-but-unread bytes when an RST arrives, so the client (in this
 * same process) must get a turn to read what was sent, or it would see the reset
 * without the chunks the test asked for.
 */
const RESET_SETTLE_MS = 30;

async function resetConnection(res: ServerResponse, gapMs: number): Promise<void> {
  await sleep(Math.max(gapMs, RESET_SETTLE_MS));
  res.socket?.resetAndDestroy();
}

function flatHeaders(pairs: readonly [string, string][]): string[] {
  // A flat [name, value, …] list keeps recorded casing and repeated headers such as set-cookie.
  const flat: string[] = [];
  for (const [name, value] of pairs) {
    if (!SKIPPED_HEADERS.has(name.toLowerCase())) flat.push(name, value);
  }
  return flat;
}

function writeAndWait(sink: ServerResponse | Gzip, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function flushGzip(gzip: Gzip): Promise<void> {
  return new Promise((resolve) => gzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
}
