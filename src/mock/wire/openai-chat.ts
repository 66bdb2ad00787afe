import type { LLMFinishReason } from '../../protocol/response.js';
import { MOCK_CREATED_AT, stableId } from './deterministic.js';
import { dataEvent, jsonPieces, prettyJson, textPieces, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import type { ResolvedReply } from './reply.js';
import { isStreamRequest, requestField } from './reply.js';
import type { WireChunk, WireResponse } from './types.js';

const FINISH: Record<LLMFinishReason, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
};

export function openaiModel(body: unknown): string {
  const model = requestField(body, 'model');
  return typeof model === 'string' ? model : 'gpt-4o-mini';
}

export function chatUsage(reply: ResolvedReply): Record<string, unknown> {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCallId(reply: ResolvedReply, index: number): string {
  return reply.toolCalls[index]?.id ?? `call_${stableId(`${reply.seed}/call/${index}`, 24)}`;
}

/** `chat.completion` (WIRE-FORMATS §1.2) or its `chat.completion.chunk` SSE stream (§1.3). */
export function buildOpenAIChat(body: unknown, reply: ResolvedReply): WireResponse {
  const id = `chatcmpl-${stableId(`${reply.seed}/id`, 29)}`;
  const model = openaiModel(body);
  const fingerprint = `fp_${stableId(`${reply.seed}/fp`, 10).toLowerCase()}`;
  const finish = FINISH[reply.finishReason];

  if (!isStreamRequest(body)) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: reply.toolCalls.length > 0 && reply.content === '' ? null : reply.content,
    };
    if (reply.toolCalls.length > 0) {
      message.tool_calls = reply.toolCalls.map((call, i) => ({
        id: toolCallId(reply, i),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
    }
    message.refusal = null;
    message.annotations = [];
    const completion = {
      id,
      object: 'chat.completion',
      created: MOCK_CREATED_AT,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage: chatUsage(reply),
      service_tier: 'default',
      system_fingerprint: fingerprint,
    };
    return {
      status: 200,
      headers: providerHeaders('openai', reply.seed, 'application/json'),
      chunks: [{ data: utf8(prettyJson(completion)), delayMs: 0 }],
    };
  }

  const includeUsage = (requestField(body, 'stream_options') as { include_usage?: unknown } | undefined)?.include_usage === true;
  let n = 0;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id,
    object: 'chat.completion.chunk',
    created: MOCK_CREATED_AT,
    model,
    service_tier: 'default',
    system_fingerprint: fingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
    // @note Real streams pad every chunk with a random-length `obfuscation` string; here it is stable.
    obfuscation: stableId(`${reply.seed}/obf/${n++}`, 4 + (n % 11)),
  });

  const events: Record<string, unknown>[] = [];
  const toolDeltas = reply.toolCalls.map((call, i) => ({
    index: i,
    id: toolCallId(reply, i),
    type: 'function',
    function: { name: call.name, arguments: '' },
  }));
  const hasText = reply.content !== '' || reply.toolCalls.length === 0;
  // @note The first chunk carries the role; with a tool call and no text, `content: null` and the
  // first tool call's header ride along (seen in chat-stream-tools-include-usage.yaml).
  if (hasText) events.push(chunk({ role: 'assistant', content: '', refusal: null }));
  else events.push(chunk({ role: 'assistant', content: null, tool_calls: toolDeltas.slice(0, 1), refusal: null }));
  for (const text of textPieces(reply.content)) events.push(chunk({ content: text }));
  reply.toolCalls.forEach((call, i) => {
    if (hasText || i > 0) events.push(chunk({ tool_calls: [toolDeltas[i]] }));
    for (const piece of jsonPieces(JSON.stringify(call.arguments))) {
      events.push(chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }));
    }
  });
  events.push(chunk({}, finish));
  if (includeUsage) {
    const { choices: _choices, ...rest } = chunk({});
    events.push({ ...rest, choices: [], usage: chatUsage(reply) });
  }

  const chunks: WireChunk[] = events.map((event, i) => ({ data: utf8(dataEvent(event)), delayMs: i === 0 ? 0 : reply.chunkDelayMs }));
  chunks.push({ data: utf8(dataEvent('[DONE]')), delayMs: 0 });
  return { status: 200, headers: providerHeaders('openai', reply.seed, 'text/event-stream; charset=utf-8'), chunks };
}
