/**
 * A synthetic OpenAI-compatible chat-completions endpoint on 127.0.0.1. It can stop listening
 * and come back on the same port, because recorded cassettes match on the URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ChatServer {
  /** Base URL for the OpenAI client, `http://127.0.0.1:<port>/v1`. */
  baseURL: string;
  /** Prompts received (last user message), in arrival order. */
  prompts: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: string }[];
}

export async function startChatServer(): Promise<ChatServer> {
  const prompts: string[] = [];
  let calls = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      let body: ChatRequest = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as ChatRequest;
      } catch {
        // answered with a 400 below
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions') || !body.messages) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'expected POST /v1/chat/completions', type: 'invalid_request_error' } }));
        return;
      }
      const prompt = body.messages.at(-1)?.content ?? '';
      prompts.push(prompt);
      const id = `chatcmpl-e2e-${++calls}`;
      const model = body.model ?? 'gpt-e2e';
      // a little latency, so concurrent tests really overlap
      setTimeout(() => {
        if (body.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          const words = `echo: ${prompt}`.split(' ');
          words.forEach((word, i) => {
            const delta = { role: i === 0 ? 'assistant' : undefined, content: i === 0 ? word : ` ${word}` };
            res.write(
              `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
            );
          });
          res.write(
            `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
          );
          res.end('data: [DONE]\n\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${calls}` });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created: 1,
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: `echo: ${prompt}` }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
          }),
        );
      }, 30);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    prompts,
    start: () => listen(port),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
