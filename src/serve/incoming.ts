import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutgoingRequest } from '../intercept/types.js';

import { SESSION_HEADER } from './constants.js';

/** Request headers about the connection to this server, not the request: never stored or forwarded. */
const CONNECTION_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'content-length',
  SESSION_HEADER,
]);

/** The client's headers, lower-cased, without the ones that belong to its connection to us. */
export function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const named = new Set(
    String(req.headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || CONNECTION_HEADERS.has(name) || named.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The whole request body, or undefined when it is larger than `max` bytes. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) parts.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(parts, size)));
    req.on('error', reject);
  });
}

/**
 * A signal that aborts when the client goes away before its response is complete: a replay
 * stops, a recording is cut there (stored as `aborted`, as in-process).
 */
export function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('The client closed the connection', 'AbortError'));
  });
  return controller.signal;
}

export function outgoingRequest(req: IncomingMessage, url: string, headers: Record<string, string>, body: Buffer, signal: AbortSignal): OutgoingRequest {
  return { method: (req.method ?? 'GET').toUpperCase(), url, headers, body, signal, transport: 'http' };
}
