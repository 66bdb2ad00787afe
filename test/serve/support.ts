/** Helpers for the server's tests: a server in this process, raw HTTP calls, stream reads with times. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach } from 'vitest';
import { parse } from 'yaml';
import { type RunningServer, type ServeOptions, startServer } from '../../src/entries/serve.js';
import type { HttpCassette } from '../support/http-cassette.js';

export interface TestServer extends RunningServer {
  dir: string;
  /** What the server logged (miss messages, notices). */
  logs: string[];
}

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'cassettes-serve-'));

/** A server in this process, closed after the test. */
export async function serve(options: ServeOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? tempDir();
  const logs: string[] = [];
  const server = await startServer({ ...options, dir, log: (line) => logs.push(line) });
  running.push(server);
  return Object.assign(server, { dir, logs });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

export async function call(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export interface Streamed {
  status: number;
  chunks: Buffer[];
  /** ms from the request to each read. */
  at: number[];
  error?: Error;
}

/** Reads a response body chunk by chunk, with the time of each read. */
export async function stream(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Streamed> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  const out: Streamed = { status: res.status, chunks: [], at: [] };
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.chunks.push(Buffer.from(value));
      out.at.push(performance.now() - t0);
    }
  } catch (error) {
    out.error = error as Error;
  }
  return out;
}

export function readCassette(dir: string, name: string): { text: string; data: HttpCassette } {
  const text = readFileSync(join(dir, `${name}.yaml`), 'utf8');
  return { text, data: parse(text) as HttpCassette };
}
