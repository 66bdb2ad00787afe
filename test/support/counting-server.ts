/**
 * A canary on 127.0.0.1: an HTTP/1.1 server and an h2c (HTTP/2 without TLS) server that count
 * every TCP connection made to them. Whatever they are asked, they answer a small chat
 * completion, so a request that should never have left shows up as a count, not as a failure.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A self-signed certificate for 127.0.0.1 and localhost (valid until 2126), for tests only: a
 * client trusts it through `ca` or NODE_EXTRA_CA_CERTS=<TEST_CA>. The key protects nothing.
 */
export const TEST_CA = join(dirname(fileURLToPath(import.meta.url)), 'tls/cert.pem');
export const TEST_TLS = { cert: readFileSync(TEST_CA), key: readFileSync(join(dirname(TEST_CA), 'key.pem')) };

export interface CountingServer {
  /** `http://127.0.0.1:<port>` (HTTP/1.1). */
  url: string;
  /** `http://127.0.0.1:<port>` of the h2c server. */
  h2url: string;
  /** `https://127.0.0.1:<port>` (HTTP/1.1 over TLS, TEST_CA). */
  tlsUrl: string;
  /** TCP connections accepted by any of the servers so far. */
  connections(): number;
  /** Requests answered so far (a request on a kept-alive connection counts here only). */
  requests(): number;
  close(): Promise<void>;
}

const ANSWER = JSON.stringify({
  id: 'chatcmpl-canary',
  object: 'chat.completion',
  created: 1,
  model: 'canary',
  choices: [{ index: 0, message: { role: 'assistant', content: 'the canary answered' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

function answer(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, counted: () => void): void {
  counted();
  req.resume();
  req.on('end', () => {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(ANSWER);
  });
}

export async function startCountingServer(): Promise<CountingServer> {
  let count = 0;
  let requests = 0;
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void =>
    answer(req, res, () => {
      requests++;
    });
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const servers = [createServer(handle), createHttp2Server(handle), createHttpsServer(TEST_TLS, handle)] as const;
  // @note 'connection' fires for the TCP socket, before any TLS or HTTP/2 handshake
  for (const server of servers) server.on('connection', track);
  const listen = (server: (typeof servers)[number]): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [port1, port2, port3] = await Promise.all(servers.map(listen));
  return {
    url: `http://127.0.0.1:${port1}`,
    h2url: `http://127.0.0.1:${port2}`,
    tlsUrl: `https://127.0.0.1:${port3}`,
    connections: () => count,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
    },
  };
}
