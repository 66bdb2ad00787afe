import type { OutgoingRequest } from '../intercept/types.js';
import { toStoredBody } from '../match/body.js';
import type { Capture } from '../stream/recorder.js';
import { storedChunk } from '../stream/stored-chunk.js';
import type { Interaction, StoredRequest, StoredResponse } from '../types.js';

const STREAM_TYPES = ['text/event-stream', 'application/x-ndjson', 'application/jsonl'];

/**
 * The request as it was sent, secrets and all: what redaction learns from (a custom header's
 * value, to scrub where the server echoes it) before it scrubs.
 */
export function rawRequest(request: OutgoingRequest): StoredRequest {
  return { method: request.method, url: request.url, headers: request.headers, body: toStoredBody(request.body) };
}

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
    response.chunks = capture.chunks.map((chunk) => storedChunk(chunk.atMs, chunk.data, sse));
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
