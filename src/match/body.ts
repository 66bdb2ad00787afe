import { isUtf8 } from 'node:buffer';
import type { StoredBody } from '../types.js';

/** UTF-8 text when the bytes are valid UTF-8 and survive a round trip, else undefined. */
export function exactText(bytes: Uint8Array): string | undefined {
  // @note a leading BOM is dropped by most readers of the text (TextDecoder, YAML): kept as bytes
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined;
  if (!isUtf8(bytes)) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export function tryParseJson(text: string): { value: unknown } | undefined {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The stored form of a body. A parsed JSON view is kept only where it re-serialises to the
 * very same bytes (compact, or the two-space pretty form providers use); otherwise the raw
 * text is authoritative.
 */
export function toStoredBody(bytes: Uint8Array): StoredBody | undefined {
  if (bytes.length === 0) return undefined;
  const text = exactText(bytes);
  if (text === undefined) return { base64: Buffer.from(bytes).toString('base64') };
  const parsed = tryParseJson(text);
  if (parsed) {
    if (JSON.stringify(parsed.value) === text) return { json: parsed.value };
    if (JSON.stringify(parsed.value, null, 2) === text) return { json: parsed.value, format: 'pretty' };
  }
  return { text };
}

export function storedBodyBytes(body: StoredBody | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if ('json' in body) {
    return Buffer.from(body.format === 'pretty' ? JSON.stringify(body.json, null, 2) : JSON.stringify(body.json));
  }
  if ('text' in body) return Buffer.from(body.text);
  return Buffer.from(body.base64, 'base64');
}

/** The body as matching sees it: parsed JSON, text, or bytes as base64 text. */
export function bodyForMatching(bytes: Uint8Array, contentType: string | undefined): unknown {
  if (bytes.length === 0) return undefined;
  const text = exactText(bytes);
  if (text === undefined) {
    // an upload with a binary part: its boundary is just as random; latin1 keeps every byte
    const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const boundary = multipartBoundary(contentType) ?? sniffBoundary(latin1);
    const keyed = boundary ? Buffer.from(latin1.split(boundary).join('cassettes-boundary'), 'latin1') : bytes;
    return { $base64: Buffer.from(keyed).toString('base64') };
  }
  const parsed = tryParseJson(text);
  if (parsed) return parsed.value;
  const boundary = multipartBoundary(contentType) ?? sniffBoundary(text);
  // @note multipart boundaries are random per request (OpenAI file uploads): key on the parts only.
  if (boundary) return text.split(boundary).join('cassettes-boundary');
  return text;
}

function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType?.toLowerCase().startsWith('multipart/')) return undefined;
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  return match?.[1];
}

function sniffBoundary(text: string): string | undefined {
  const match = /^--([A-Za-z0-9'()+_,./:=?-]{10,70})\r\n/.exec(text);
  return match?.[1];
}
