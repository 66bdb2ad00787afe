import type { LLMRequest, LLMToolCall } from './request.js';
import { contentText } from './request.js';

/**
 * A deterministic stand-in for a tokenizer: about four characters per token, as OpenAI's rule of
 * thumb for English. Same text, same count, on every run and machine.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Estimated prompt tokens: every message plus the tool definitions, as a provider would count them. */
export function estimateRequestTokens(request: LLMRequest): number {
  let total = 0;
  for (const message of request.messages) {
    // @note A few tokens of framing per message, like the real chat templates.
    total += 3 + estimateTokens(contentText(message.content ?? null));
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) total += estimateToolCallTokens(call);
    }
  }
  if (request.tools?.length) total += estimateTokens(JSON.stringify(request.tools));
  return total;
}

export function estimateToolCallTokens(call: Pick<LLMToolCall, 'name' | 'arguments'>): number {
  return estimateTokens(call.name) + estimateTokens(JSON.stringify(call.arguments));
}
