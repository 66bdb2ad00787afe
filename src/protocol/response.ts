import type { LLMToolCall } from './request.js';

export type LLMFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export const FINISH_REASONS: readonly LLMFinishReason[] = ['stop', 'length', 'tool_calls', 'content_filter', 'error'];

export interface LLMUsage {
  /** All prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** All generated tokens, reasoning/thinking tokens included. */
  readonly outputTokens: number;
  /** Always `inputTokens + outputTokens`. */
  readonly totalTokens: number;
  /** Part of `inputTokens` served from the provider's prompt cache, where reported. */
  readonly cachedInputTokens?: number;
  /** Part of `outputTokens` spent on reasoning/thinking, where reported. */
  readonly reasoningTokens?: number;
}

/** One rate-limit window as the provider reported it in response headers. */
export interface LLMRateLimitWindow {
  readonly limit?: number;
  readonly remaining?: number;
  /** Time until the window resets, when sent as a duration (OpenAI: `6m0s`, `20ms`). */
  readonly resetAfterMs?: number;
  /** When the window resets, when sent as a timestamp (Anthropic: RFC 3339). */
  readonly resetAt?: string;
}

export interface LLMRateLimit {
  readonly requests?: LLMRateLimitWindow;
  readonly tokens?: LLMRateLimitWindow;
  readonly inputTokens?: LLMRateLimitWindow;
  readonly outputTokens?: LLMRateLimitWindow;
  /** From `retry-after-ms` / `retry-after`, when present. */
  readonly retryAfterMs?: number;
}

export interface LLMResponse {
  readonly content: string;
  readonly toolCalls: readonly LLMToolCall[];
  readonly finishReason: LLMFinishReason;
  /** The model as the provider resolved it (e.g. a dated snapshot behind an alias). */
  readonly model: string;
  readonly usage: LLMUsage;
  /** Wall-clock time from sending the request to the complete answer. */
  readonly latencyMs: number;
  readonly requestId?: string;
  readonly rateLimit?: LLMRateLimit;
  /** The `name` of the provider that answered, where more than one could have (`withFallback`). */
  readonly provider?: string;
  /**
   * The provider's answer, nothing dropped: the response body for `complete()`, and for `stream()`
   * the array of every stream event/chunk in arrival order.
   */
  readonly raw: unknown;
}

export type LLMStreamEvent =
  | { readonly type: 'text-delta'; readonly text: string }
  | {
      readonly type: 'tool-call-delta';
      /** Position of the call among this response's tool calls. */
      readonly index: number;
      readonly id: string;
      readonly name: string;
      /** A fragment of the arguments' JSON text; the fragments of one index concatenate. */
      readonly argumentsDelta: string;
    }
  | { readonly type: 'finish'; readonly response: LLMResponse };

/** Builds usage whose total always adds up. */
export function makeUsage(
  inputTokens: number,
  outputTokens: number,
  extra: { cachedInputTokens?: number | undefined; reasoningTokens?: number | undefined } = {},
): LLMUsage {
  const usage: { -readonly [K in keyof LLMUsage]: LLMUsage[K] } = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
  };
  if (extra.cachedInputTokens !== undefined) usage.cachedInputTokens = extra.cachedInputTokens;
  if (extra.reasoningTokens !== undefined) usage.reasoningTokens = extra.reasoningTokens;
  return usage;
}
