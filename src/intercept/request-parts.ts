import type { DispatchOptions } from './undici-types.js';

/** The absolute URL of an undici dispatch. */
export function urlOf(options: DispatchOptions): string {
  const origin = typeof options.origin === 'string' ? options.origin : (options.origin?.origin ?? '');
  return `${origin.replace(/\/$/, '')}${options.path}`;
}

/** Any header shape undici or fetch accepts, as one lower-cased record (repeats joined by `, `). */
export function normaliseHeaders(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (value === undefined || value === null) return;
    const key = String(name).toLowerCase();
    const text = Array.isArray(value) ? value.map(String).join(', ') : Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  };
  if (!input) return out;
  if (Array.isArray(input)) {
    if (input.length > 0 && Array.isArray(input[0])) for (const [n, v] of input as [unknown, unknown][]) add(n, v);
    else for (let i = 0; i + 1 < input.length; i += 2) add(input[i], input[i + 1]);
    return out;
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [n, v] of input as Iterable<[unknown, unknown]>) add(n, v);
    return out;
  }
  for (const [n, v] of Object.entries(input as Record<string, unknown>)) add(n, v);
  return out;
}

/** A request body that is already bytes in memory (fetch's usual case), else undefined. */
export function bodyInMemory(body: unknown): Buffer | undefined {
  if (body === null || body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') return Buffer.from(body as ArrayBuffer);
  return undefined;
}

/** Any request body undici accepts (bytes, an iterable, an async iterable or stream), read whole. */
export async function readBody(body: unknown): Promise<Buffer> {
  const inMemory = bodyInMemory(body);
  if (inMemory) return inMemory;
  const parts: Buffer[] = [];
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const part of body as AsyncIterable<unknown>) parts.push(toBuffer(part));
    return Buffer.concat(parts);
  }
  if (typeof (body as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const part of body as Iterable<unknown>) parts.push(toBuffer(part));
    return Buffer.concat(parts);
  }
  throw new TypeError(`cassettes: cannot read a request body of type ${Object.prototype.toString.call(body)}`);
}

function toBuffer(part: unknown): Buffer {
  if (typeof part === 'string') return Buffer.from(part);
  if (ArrayBuffer.isView(part)) return Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return Buffer.from(String(part));
}
