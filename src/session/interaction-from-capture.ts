import { toStoredBody } from '../match/body.js';
import type { Capture } from '../stream/recorder.js';
import { sseView } from '../stream/sse.js';
import type { Interaction, StoredChunk, StoredRequest, StoredResponse } from '../types.js';

const STREAM_TYPES = ['text/event-stream', 'application/x-ndjson', 'application/jsonl'];

/** A finished capture as the interaction to store (before redaction and hooks). */
export function toInteraction(request: StoredRequest, key: string, recordedAt: string, capture: Capture): Interaction {
  const interaction: Interaction = { key, recordedAt, request };
  if (capture.requestError) {
    interaction.error = capture.requestError;
    return interaction;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of capture.headers ?? []) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding' || lower === 'content-length' || lower === 'transfer-encoding') continue;
    const existing = headers[lower];
    headers[lower] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  const streamed =
    STREAM_TYPES.some((t) => contentType.includes(t)) ||
    request.url.includes(':streamGenerateContent') ||
    (request.body !== undefined && 'json' in request.body && (request.body.json as { stream?: unknown } | null)?.stream === true && capture.chunks.length > 1);
  const response: StoredResponse = {
    status: capture.status ?? 0,
    statusText: capture.statusText ?? '',
    headers,
    contentEncoding: capture.contentEncoding,
    headersAtMs: capture.headersAtMs ?? 0,
  };
  if (streamed) {
    const sse = contentType.includes('text/event-stream');
    response.chunks = capture.chunks.map((chunk) => storedChunk(chunk, sse));
  } else {
    response.body = toStoredBody(Buffer.concat(capture.chunks.map((c) => c.data)));
  }
  if (streamed || capture.end?.state !== 'completed') {
    const end = capture.end ?? { state: 'completed' as const, atMs: 0 };
    response.end = end.state === 'aborted' ? { state: 'aborted', atMs: end.atMs, bytes: capture.bytes } : end;
  }
  interaction.response = response;
  return interaction;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function storedChunk(chunk: { atMs: number; data: Buffer }, sse: boolean): StoredChunk {
  try {
    const text = utf8.decode(chunk.data);
    if (Buffer.byteLength(text) === chunk.data.length) {
      const view = sse ? sseView(text) : undefined;
      if (view) return view.eol === 'crlf' ? { atMs: chunk.atMs, eol: 'crlf', events: view.events } : { atMs: chunk.atMs, events: view.events };
      return { atMs: chunk.atMs, text };
    }
  } catch {
    // a chunk that splits a UTF-8 character: keep it byte-exact
  }
  return { atMs: chunk.atMs, base64: chunk.data.toString('base64') };
}
