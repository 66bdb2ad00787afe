import type { CassetteError } from '../errors.js';
import type { OutgoingRequest } from '../intercept/types.js';
import { answerOf } from '../journal/answer.js';
import { toStoredBody } from '../match/body.js';
import { hashIdentity } from '../match/request-key.js';
import type { Redactor } from '../redact/redact.js';
import type { Capture } from '../stream/recorder.js';
import { storedChunk } from '../stream/stored-chunk.js';
import type { CassetteOptions, Interaction, RecordedBy, StoredRequest, StoredResponse } from '../types.js';
import { authError, hookError, type SessionIdentity, tooLargeError } from './session-errors.js';

/** The default cap on one recorded response body. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

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

export interface FinishInput {
  session: SessionIdentity;
  options: Pick<CassetteOptions, 'maxBodyBytes' | 'recordAuthFailures' | 'beforeRecord'>;
  request: OutgoingRequest;
  capture: Capture;
  /** The request's identity (its key), and when it started. */
  key: string;
  recordedAt: string;
  redactor: Redactor;
  test: RecordedBy | undefined;
  /** 2 and up for a request this session already recorded with the same key (a retry). */
  attempt: number;
}

/**
 * A finished capture as the interaction to save: refused when it is too large or an auth failure
 * (a missing key), else scrubbed — learning first what the rules name in the raw exchange, then
 * scrubbing it wherever it was echoed — attributed to its test, passed through `beforeRecord`
 * (scrubbed once more: the hook may have put a secret back), and given a stream summary.
 */
export async function interactionFromCapture(input: FinishInput): Promise<{ interaction: Interaction } | { error: CassetteError }> {
  const { session, options, request, capture, redactor } = input;
  const where = `${request.method} ${redactor.url(request.url)}`;
  if (capture.tooLarge) return { error: tooLargeError(session, where, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) };
  if ((capture.status === 401 || capture.status === 403) && !options.recordAuthFailures) return { error: authError(session, where, capture.status) };
  const raw = toInteraction(rawRequest(request), hashIdentity(input.key), input.recordedAt, capture);
  const full = redactor.knowing(raw);
  let interaction = full.interaction(raw);
  if (input.test) interaction.test = input.test;
  if (input.attempt > 1) interaction.attempt = input.attempt;
  if (options.beforeRecord) {
    try {
      interaction = options.beforeRecord(interaction) ?? interaction;
    } catch (error) {
      return { error: hookError(session, 'beforeRecord', where, error) };
    }
    interaction = full.interaction(interaction);
  }
  // @note a nicety for reviewers: a stream it cannot read keeps no summary, never fails the recording
  await addStreamSummary(interaction).catch(() => undefined);
  return { interaction };
}

/** A stream's assembled text and tool calls beside its chunks, for review; replay ignores it. */
async function addStreamSummary(interaction: Interaction): Promise<void> {
  const response = interaction.response;
  if (!response?.chunks || response.chunks.length === 0) return;
  const answer = await answerOf(interaction);
  if (!answer || (answer.text === '' && answer.toolCalls.length === 0)) return;
  response.summary = {};
  if (answer.text !== '') response.summary.text = answer.text;
  if (answer.toolCalls.length > 0) response.summary.toolCalls = answer.toolCalls;
}
