import type { StoredChunk } from '../types.js';
import { renderSse, sseView } from './sse.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A chunk's bytes as stored: readable SSE events where they render to the exact bytes, else
 * text, else base64 (bytes that are not UTF-8, or a chunk that ends inside a character).
 */
export function storedChunk(atMs: number, data: Uint8Array, sse: boolean): StoredChunk {
  try {
    const text = utf8.decode(data);
    if (Buffer.byteLength(text) === data.length) {
      const view = sse ? sseView(text) : undefined;
      if (view) return view.eol === 'crlf' ? { atMs, eol: 'crlf', events: view.events } : { atMs, events: view.events };
      return { atMs, text };
    }
  } catch {
    // a chunk that splits a UTF-8 character: keep it byte-exact
  }
  return { atMs, base64: Buffer.from(data).toString('base64') };
}

/** A stored chunk's text, when it is stored as text (events or text). */
export function chunkText(chunk: StoredChunk): string | undefined {
  if (chunk.events !== undefined) return renderSse(chunk.events, chunk.eol === 'crlf' ? 'crlf' : 'lf');
  return chunk.text;
}

/** A stored chunk's bytes; `text`: its chunkText(), when already at hand. */
export function chunkBytes(chunk: StoredChunk, text = chunkText(chunk)): Buffer {
  return text !== undefined ? Buffer.from(text) : Buffer.from(chunk.base64 ?? '', 'base64');
}
