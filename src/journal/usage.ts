import { storedBodyBytes } from '../match/body.js';
import { renderSse } from '../stream/sse.js';
import type { CassetteReport, StoredChunk, StoredResponse, TimingMode } from '../types.js';

/** Tokens a response's usage fields report, whichever provider wrote them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

// OpenAI Chat (prompt_/completion_tokens), OpenAI Responses and Anthropic (input_/output_tokens),
// Gemini (promptTokenCount / candidatesTokenCount)
const INPUT = new Set(['prompt_tokens', 'input_tokens', 'promptTokenCount']);
const OUTPUT = new Set(['completion_tokens', 'output_tokens', 'candidatesTokenCount']);

/**
 * The usage a stored response reports, or undefined when it reports none. A stream reports usage
 * in pieces (Anthropic: input in `message_start`, output in `message_delta`; OpenAI: a last
 * chunk): the largest value of each field is the total.
 */
export function usageOf(response: StoredResponse | undefined): TokenUsage | undefined {
  if (!response) return undefined;
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let found = false;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'number') {
        if (INPUT.has(key)) {
          usage.inputTokens = Math.max(usage.inputTokens, item);
          found = true;
        } else if (OUTPUT.has(key)) {
          usage.outputTokens = Math.max(usage.outputTokens, item);
          found = true;
        }
      } else if (typeof item === 'object') visit(item);
    }
  };
  if (response.body && 'json' in response.body) visit(response.body.json);
  for (const chunk of response.chunks ?? []) for (const event of chunk.events ?? []) visit(event.data);
  return found ? usage : undefined;
}

/** How long the recorded exchange took, to its last byte. */
export function recordedDurationMs(response: StoredResponse | undefined): number {
  if (!response) return 0;
  return Math.max(response.end?.atMs ?? 0, response.chunks?.at(-1)?.atMs ?? 0, response.headersAtMs ?? 0);
}

/** The bytes a stored response serves. */
export function responseBytes(response: StoredResponse | undefined): number {
  if (!response) return 0;
  if (response.chunks) return response.chunks.reduce((n, chunk) => n + chunkByteLength(chunk), 0);
  return response.body ? storedBodyBytes(response.body).length : 0;
}

function chunkByteLength(chunk: StoredChunk): number {
  if (chunk.base64 !== undefined) return Buffer.byteLength(chunk.base64, 'base64');
  if (chunk.text !== undefined) return Buffer.byteLength(chunk.text);
  return chunk.events ? Buffer.byteLength(renderSse(chunk.events, chunk.eol === 'crlf' ? 'crlf' : 'lf')) : 0;
}

/**
 * What a session served from its cassette: bytes, tokens the usage fields report (what the run
 * did not pay for), and how much sooner the replays finished than the recorded exchanges.
 */
export function servedFacts(
  responses: readonly (StoredResponse | undefined)[],
  timing: TimingMode,
): Pick<CassetteReport, 'bytesReplayed' | 'tokensReplayed' | 'timeSavedMs'> {
  const tokensReplayed = { inputTokens: 0, outputTokens: 0 };
  let bytesReplayed = 0;
  let recordedMs = 0;
  for (const response of responses) {
    const usage = usageOf(response);
    tokensReplayed.inputTokens += usage?.inputTokens ?? 0;
    tokensReplayed.outputTokens += usage?.outputTokens ?? 0;
    bytesReplayed += responseBytes(response);
    recordedMs += recordedDurationMs(response);
  }
  const speed = timing === 'instant' ? Number.POSITIVE_INFINITY : timing === 'recorded' ? 1 : timing.speed;
  return { bytesReplayed, tokensReplayed, timeSavedMs: Math.round(recordedMs * (1 - 1 / speed)) };
}
