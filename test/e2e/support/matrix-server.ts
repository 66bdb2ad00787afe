/**
 * One synthetic provider on 127.0.0.1, over HTTP and HTTPS (the test certificate), that answers
 * OpenAI chat completions, Anthropic messages and Gemini generateContent / streamGenerateContent
 * in each provider's wire format (the project's own wire mock), streamed or not. Streamed answers
 * leave a few milliseconds between chunks, so each chunk arrives as a read of its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildWireResponse, detectEndpoint } from '../../../src/entries/mock.js';
import { TEST_TLS } from '../../support/counting-server.js';

export interface MatrixServer {
  url: string;
  tlsUrl: string;
  /** The prompts received, in arrival order. */
  prompts: string[];
  stop(): Promise<void>;
}

/** What every client is told: `matrix says <prompt>`. */
export const answerTo = (prompt: string): string => `matrix says ${prompt}`;

/** The last user text of an OpenAI, Anthropic or Gemini request body. */
function promptOf(body: unknown): string {
  const b = body as {
    messages?: { content?: unknown }[];
    contents?: { parts?: { text?: string }[] }[];
  };
  const content = b?.messages?.at(-1)?.content ?? b?.contents?.at(-1)?.parts?.[0]?.text;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return String((content[0] as { text?: unknown })?.text ?? '');
  return '';
}

async function answer(req: IncomingMessage, res: ServerResponse, prompts: string[]): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  const target = detectEndpoint(req.method ?? 'GET', req.url ?? '/');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!target || body === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no such endpoint: ${req.method} ${req.url}` } }));
    return;
  }
  const prompt = promptOf(body);
  prompts.push(prompt);
  const wire = buildWireResponse(target, body, { content: answerTo(prompt), chunkDelayMs: 5 });
  res.writeHead(wire.status, wire.headers);
  for (const chunk of wire.chunks) {
    if (chunk.delayMs > 0) await sleep(chunk.delayMs);
    res.write(chunk.data);
  }
  res.end();
}

export async function startMatrixServer(): Promise<MatrixServer> {
  const prompts: string[] = [];
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answer(req, res, prompts).catch((error: unknown) => res.destroy(error as Error));
  };
  const servers: Server[] = [createServer(handler), createHttpsServer(TEST_TLS, handler)];
  for (const server of servers) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const ports = await Promise.all(
    servers.map((server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))),
  );
  return {
    url: `http://127.0.0.1:${ports[0]}`,
    tlsUrl: `https://127.0.0.1:${ports[1]}`,
    prompts,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
