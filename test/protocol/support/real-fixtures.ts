import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

/**
 * The real recorded exchanges live outside the repo (../shared/fixtures/real, licensed by their
 * source projects) and are read at run time only; nothing from them is copied into the repo.
 */
export const REAL_FIXTURES = resolve(
  process.env.LLM_CASSETTE_REAL_FIXTURES ?? join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/real'),
);

export const haveRealFixtures = existsSync(REAL_FIXTURES);

export function warnMissingFixtures(suite: string): void {
  if (!haveRealFixtures) {
    console.warn(`[cassettes] ${suite}: skipped, real fixtures not found at ${REAL_FIXTURES} (set LLM_CASSETTE_REAL_FIXTURES)`);
  }
}

export interface RealExchange {
  readonly method: string;
  readonly uri: string;
  readonly requestBody: unknown;
  readonly status: number;
  /** Lower-cased names, first value. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

function decodeBody(body: unknown, headers: Record<string, string>): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) {
    const bytes = Buffer.from(body);
    return (headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
  }
  return '';
}

/** The interactions of a vcrpy YAML cassette (raw-string or `parsed_body` flavour, gzip decoded). */
export function loadCassette(relativePath: string): RealExchange[] {
  const doc = parse(readFileSync(join(REAL_FIXTURES, relativePath), 'utf8')) as { interactions: any[] };
  return doc.interactions.map((interaction) => {
    const { request, response } = interaction;
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(response.headers ?? {})) {
      headers[name.toLowerCase()] = Array.isArray(values) ? String(values[0]) : String(values);
    }
    const body = response.parsed_body !== undefined ? JSON.stringify(response.parsed_body) : decodeBody(response.body?.string, headers);
    const rawRequest = request.parsed_body ?? request.body;
    return {
      method: request.method,
      uri: request.uri,
      requestBody: typeof rawRequest === 'string' ? JSON.parse(rawRequest) : rawRequest,
      status: response.status.code,
      headers,
      body,
    };
  });
}

export function loadJson(relativePath: string): any {
  return JSON.parse(readFileSync(join(REAL_FIXTURES, relativePath), 'utf8'));
}

export interface SseEvent {
  readonly event?: string;
  readonly data: string;
}

/** Splits an SSE body into events; accepts `\n`, `\r\n` and `\r` line ends. */
export function parseSse(body: string): SseEvent[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\n+/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
    });
}

export function sortedKeys(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];
}
