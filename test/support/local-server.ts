import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (request: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A synthetic provider on 127.0.0.1: the project's own data, not the shared fixtures. */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(parts).toString('utf8') };
      seen.push(request);
      Promise.resolve(handler(request, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Asks an echoHandler server's chat endpoint, through the global fetch; resolves to the echoed prompt. */
export async function askEcho(server: LocalServer, content: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content }] }),
  });
  return ((await response.json()) as { echo: string }).echo;
}

/** Answers like a chat-completions endpoint: echoes the prompt and temperature, counts calls. */
export function echoHandler(): Handler {
  let calls = 0;
  return (request, res) => {
    calls++;
    let body: { messages?: { content?: string }[]; temperature?: number; stream?: boolean } = {};
    try {
      body = JSON.parse(request.body || '{}') as typeof body;
    } catch {
      // non-JSON bodies are echoed as text below
    }
    const prompt = body.messages?.at(-1)?.content ?? request.body;
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${calls}` });
      const words = ['echo:', ...String(prompt).split(' ')];
      let i = 0;
      const tick = (): void => {
        if (i < words.length) {
          res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `${words[i++]} ` } }] })}\n\n`);
          setTimeout(tick, 2);
        } else {
          res.end('data: [DONE]\n\n');
        }
      };
      tick();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${calls}`, 'x-ratelimit-remaining-requests': String(100 - calls) });
    res.end(JSON.stringify({ id: `chatcmpl-${calls}`, call: calls, echo: prompt, temperature: body.temperature ?? null, path: request.url }));
  };
}
