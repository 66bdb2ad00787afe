import type { LLMFinishReason } from '../../protocol/response.js';
import { estimateTokens } from '../../protocol/token-estimate.js';
import type { MockReply, MockReplyError, MockToolCall } from './types.js';

/** A `MockReply` with every default applied: what the builders work from. */
export interface ResolvedReply {
  readonly text: string;
  readonly toolCalls: readonly MockToolCall[];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly finishReason: LLMFinishReason;
  readonly chunkDelayMs: number;
  readonly error: MockReplyError | undefined;
  /** Seed for every id in this answer. */
  readonly seed: string;
}

export function resolveReply(reply: MockReply, requestBody: unknown, seedPrefix: string): ResolvedReply {
  const init = typeof reply === 'string' ? { text: reply } : reply;
  const text = init.text ?? '';
  const toolCalls = init.toolCalls ?? [];
  const requestJson = JSON.stringify(requestBody ?? null) ?? '';
  const outputEstimate =
    estimateTokens(text) + toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(JSON.stringify(call.arguments)), 0);
  return {
    text,
    toolCalls,
    inputTokens: init.usage?.inputTokens ?? estimateTokens(requestJson),
    // @note At least one output token: every real completion reports some.
    outputTokens: init.usage?.outputTokens ?? Math.max(1, outputEstimate),
    finishReason: init.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    chunkDelayMs: init.chunkDelayMs ?? 0,
    error: init.error,
    seed: `${seedPrefix}\n${requestJson}\n${JSON.stringify(init)}`,
  };
}

export function requestField(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

export function isStreamRequest(body: unknown): boolean {
  return requestField(body, 'stream') === true;
}
