import { CassetteError } from '../../errors.js';
import { FAULT_MESSAGES, FAULT_STATUS } from '../../protocol/faults.js';
import type { MockReply, MockToolCall } from '../../protocol/mock-reply.js';
import { isErrorLike, replyError, replyInit } from '../../protocol/mock-reply.js';
import type { LLMFinishReason } from '../../protocol/response.js';
import { estimateTokens } from '../../protocol/token-estimate.js';
import type { WireTarget } from './types.js';

/** A failure as the wire says it: a status with the provider's error body, or a body cut short. */
export interface WireFailure {
  readonly status: number;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
  /** A 200 whose JSON stops half-way (the `malformed` fault). */
  readonly malformed: boolean;
}

/** A `MockReply` with every default applied: what the builders work from. */
export interface ResolvedReply {
  readonly content: string;
  readonly toolCalls: readonly (MockToolCall & { readonly arguments: object })[];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly finishReason: LLMFinishReason;
  readonly chunkDelayMs: number;
  readonly error: WireFailure | undefined;
  /** Seed for every id in this answer. */
  readonly seed: string;
}

function wireFailure(reply: Exclude<MockReply, Error | string>, target: WireTarget): WireFailure | undefined {
  const error = replyError(reply);
  if (!error) return undefined;
  if (error.kind !== undefined) {
    // @note Anthropic says "overloaded" with its own 529 (WIRE-FORMATS §2.4).
    const status = error.kind === 'unavailable' && target.provider === 'anthropic' ? 529 : FAULT_STATUS[error.kind];
    const retryAfterMs = error.kind === 'rate-limit' ? (error.retryAfterMs ?? 1000) : error.retryAfterMs;
    return { status, message: error.message ?? FAULT_MESSAGES[error.kind], retryAfterMs, malformed: error.kind === 'malformed' };
  }
  const status = error.status ?? 500;
  return { status, message: error.message ?? `Scripted HTTP ${status}.`, retryAfterMs: error.retryAfterMs, malformed: false };
}

export function resolveReply(reply: MockReply, requestBody: unknown, target: WireTarget): ResolvedReply {
  if (isErrorLike(reply)) {
    throw new CassetteError(
      'LLM_CASSETTE_OPTIONS',
      'cassettes: buildWireResponse cannot answer with an Error (withMockLLM fails the request with it instead); script `{ error: … }` for an HTTP error',
    );
  }
  const init = replyInit(reply);
  const content = init.content ?? '';
  const toolCalls = (init.toolCalls ?? []).map((call) => ({ ...call, arguments: call.arguments ?? {} }));
  const requestJson = JSON.stringify(requestBody ?? null) ?? '';
  const outputEstimate =
    estimateTokens(content) + toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(JSON.stringify(call.arguments)), 0);
  return {
    content,
    toolCalls,
    inputTokens: init.usage?.inputTokens ?? estimateTokens(requestJson),
    // @note At least one output token: every real completion reports some.
    outputTokens: init.usage?.outputTokens ?? Math.max(1, outputEstimate),
    finishReason: init.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    chunkDelayMs: init.chunkDelayMs ?? 0,
    error: wireFailure(init, target),
    seed: `${target.provider}/${target.endpoint}/${target.model ?? ''}\n${requestJson}\n${JSON.stringify(init)}`,
  };
}

export function requestField(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

export function isStreamRequest(body: unknown): boolean {
  return requestField(body, 'stream') === true;
}
