import type { LLMError } from './errors.js';
import { llmErrorFromStatus } from './errors.js';
import { faultError } from './faults.js';
import type { MockReply, MockReplyError } from './mock-reply.js';
import { isErrorLike, replyError, replyInit } from './mock-reply.js';
import type { LLMRequest, LLMToolCall } from './request.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent } from './response.js';
import { makeUsage } from './response.js';
import { estimateRequestTokens, estimateTokens, estimateToolCallTokens } from './token-estimate.js';

/** What `MockLLMProvider` knows when it turns a reply into a response. */
export interface MockCallContext {
  readonly provider: string;
  readonly model: string;
  /** The call's index: seeds its ids. */
  readonly index: number;
  readonly latencyMs: number;
}

/** The `LLMError` a scripted `error` stands for. */
export function mockReplyFailure(error: MockReplyError, context: MockCallContext): LLMError {
  const requestId = `mock-req-${context.index}`;
  if (error.kind !== undefined) {
    return faultError(error.kind, { provider: context.provider, requestId, retryAfterMs: error.retryAfterMs, message: error.message });
  }
  const status = error.status ?? 500;
  return llmErrorFromStatus({
    provider: context.provider,
    status,
    requestId,
    retryAfterMs: error.retryAfterMs,
    message: error.message ?? `cassettes: scripted HTTP ${status} from ${context.provider}`,
  });
}

/** The scripted response, or the error the reply stands for (thrown). */
export function mockResponse(request: LLMRequest, reply: MockReply, context: MockCallContext): LLMResponse {
  if (isErrorLike(reply)) throw reply;
  const init = replyInit(reply);
  const error = replyError(init);
  if (error) throw mockReplyFailure(error, context);
  let content = init.content ?? '';
  const toolCalls: LLMToolCall[] = (init.toolCalls ?? []).map((toolCall, i) => ({
    id: toolCall.id ?? `call_mock_${context.index}_${i}`,
    name: toolCall.name,
    arguments: toolCall.arguments ?? {},
  }));
  let finishReason: LLMFinishReason = init.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  // @note Honour maxTokens the way a model does: cut the text and report `length`.
  const maxTokens = request.maxTokens;
  if (init.finishReason === undefined && maxTokens !== undefined && estimateTokens(content) > maxTokens) {
    content = Array.from(content)
      .slice(0, maxTokens * 4)
      .join('');
    finishReason = 'length';
  }
  const given = init.usage ?? {};
  const inputTokens = given.inputTokens ?? estimateRequestTokens(request);
  const outputTokens = given.outputTokens ?? estimateTokens(content) + toolCalls.reduce((sum, c) => sum + estimateToolCallTokens(c), 0);
  const usage = makeUsage(inputTokens, outputTokens, { cachedInputTokens: given.cachedInputTokens, reasoningTokens: given.reasoningTokens });
  const model = init.model ?? request.model ?? context.model;
  const response: { -readonly [K in keyof LLMResponse]: LLMResponse[K] } = {
    content,
    toolCalls,
    finishReason,
    model,
    usage,
    latencyMs: context.latencyMs,
    requestId: init.requestId ?? `mock-req-${context.index}`,
    raw: init.raw ?? { id: `mock-${context.index}`, content, toolCalls, finishReason, model, usage },
  };
  if (init.rateLimit) response.rateLimit = init.rateLimit;
  return response;
}

/** The delay between chunks of this reply: its own, else the provider's option. */
export function chunkDelayOf(reply: MockReply, fallback: number): number {
  return typeof reply === 'object' && !isErrorLike(reply) && reply.chunkDelayMs !== undefined ? reply.chunkDelayMs : fallback;
}

function chunkText(text: string, size: number): string[] {
  // @note Split by code point so that a delta never holds half of a surrogate pair (emoji).
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** A response as the deltas a stream yields before its `finish`. */
export function streamDeltas(response: LLMResponse, chunkSize: number): LLMStreamEvent[] {
  const size = Math.max(1, chunkSize);
  const deltas: LLMStreamEvent[] = chunkText(response.content, size).map((text) => ({ type: 'text-delta', text }));
  response.toolCalls.forEach((toolCall, index) => {
    for (const argumentsDelta of chunkText(JSON.stringify(toolCall.arguments), size)) {
      deltas.push({ type: 'tool-call-delta', index, id: toolCall.id, name: toolCall.name, argumentsDelta });
    }
  });
  return deltas;
}
