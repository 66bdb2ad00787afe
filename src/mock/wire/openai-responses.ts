import { MOCK_CREATED_AT, stableId } from './deterministic.js';
import { jsonPieces, namedEvent, prettyJson, textPieces, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import { openaiModel } from './openai-chat.js';
import type { ResolvedReply } from './reply.js';
import { isStreamRequest, requestField } from './reply.js';
import type { WireResponse } from './types.js';

type Json = Record<string, unknown>;

function field<T>(body: unknown, key: string, fallback: T): unknown {
  const value = requestField(body, key);
  return value === undefined ? fallback : value;
}

/** The `response` object, in the field order the API uses (WIRE-FORMATS §1.5). */
function responseObject(body: unknown, reply: ResolvedReply, id: string, status: string, output: Json[], done: boolean, streamed: boolean): Json {
  const incomplete = done && reply.finishReason === 'length';
  const text = requestField(body, 'text') as Json | undefined;
  return {
    id,
    object: 'response',
    created_at: MOCK_CREATED_AT,
    status,
    background: false,
    // @note `billing` appears on non-streamed objects only (seen in both kinds of recordings).
    ...(streamed ? {} : { billing: { payer: 'developer' } }),
    completed_at: done ? MOCK_CREATED_AT + 1 : null,
    error: null,
    frequency_penalty: 0,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: field(body, 'instructions', null),
    max_output_tokens: field(body, 'max_output_tokens', null),
    max_tool_calls: null,
    model: openaiModel(body),
    moderation: null,
    output,
    parallel_tool_calls: true,
    presence_penalty: 0,
    previous_response_id: field(body, 'previous_response_id', null),
    prompt_cache_key: null,
    prompt_cache_retention: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: field(body, 'store', true),
    temperature: field(body, 'temperature', 1),
    text: { format: text?.format ?? { type: 'text' }, verbosity: 'medium' },
    tool_choice: field(body, 'tool_choice', 'auto'),
    tools: field(body, 'tools', []),
    top_logprobs: 0,
    top_p: field(body, 'top_p', 1),
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: reply.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: reply.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: reply.inputTokens + reply.outputTokens,
        }
      : null,
    user: null,
    metadata: field(body, 'metadata', {}),
  };
}

interface Item {
  readonly kind: 'message' | 'function_call';
  readonly done: Json;
  readonly added: Json;
  readonly text?: string;
  readonly arguments?: string;
}

function outputItems(reply: ResolvedReply): Item[] {
  const items: Item[] = [];
  if (reply.content !== '' || reply.toolCalls.length === 0) {
    const id = `msg_${stableId(`${reply.seed}/msg`, 50).toLowerCase()}`;
    const part = { type: 'output_text', annotations: [], logprobs: [], text: reply.content };
    items.push({
      kind: 'message',
      text: reply.content,
      added: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
      done: { id, type: 'message', status: 'completed', content: [part], role: 'assistant' },
    });
  }
  reply.toolCalls.forEach((call, i) => {
    const id = `fc_${stableId(`${reply.seed}/fc/${i}`, 50).toLowerCase()}`;
    const callId = call.id ?? `call_${stableId(`${reply.seed}/call/${i}`, 24)}`;
    const args = JSON.stringify(call.arguments);
    items.push({
      kind: 'function_call',
      arguments: args,
      added: { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name: call.name },
      done: { id, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name: call.name },
    });
  });
  return items;
}

/** A Responses API object (WIRE-FORMATS §1.5) or its named-event SSE stream (§1.6). */
export function buildOpenAIResponses(body: unknown, reply: ResolvedReply): WireResponse {
  const id = `resp_${stableId(`${reply.seed}/id`, 50).toLowerCase()}`;
  const items = outputItems(reply);
  const finalStatus = reply.finishReason === 'length' ? 'incomplete' : 'completed';
  const streamed = isStreamRequest(body);
  const final = responseObject(
    body,
    reply,
    id,
    finalStatus,
    items.map((item) => item.done),
    true,
    streamed,
  );

  if (!streamed) {
    return {
      status: 200,
      headers: providerHeaders('openai', reply.seed, 'application/json'),
      chunks: [{ data: utf8(prettyJson(final)), delayMs: 0 }],
    };
  }

  const frames: string[] = [];
  let sequence = 0;
  let obfuscation = 0;
  const emit = (type: string, payload: Json): void => {
    frames.push(namedEvent(type, { type, ...payload, sequence_number: sequence++ }));
  };
  const obf = (): string => stableId(`${reply.seed}/obf/${obfuscation++}`, 4 + (obfuscation % 11));

  emit('response.created', { response: responseObject(body, reply, id, 'in_progress', [], false, true) });
  emit('response.in_progress', { response: responseObject(body, reply, id, 'in_progress', [], false, true) });
  items.forEach((item, outputIndex) => {
    const itemId = item.added.id;
    emit('response.output_item.added', { item: item.added, output_index: outputIndex });
    if (item.kind === 'message') {
      const text = item.text ?? '';
      const emptyPart = { type: 'output_text', annotations: [], logprobs: [], text: '' };
      emit('response.content_part.added', { content_index: 0, item_id: itemId, output_index: outputIndex, part: emptyPart });
      for (const delta of textPieces(text)) {
        emit('response.output_text.delta', {
          content_index: 0,
          delta,
          item_id: itemId,
          logprobs: [],
          obfuscation: obf(),
          output_index: outputIndex,
        });
      }
      emit('response.output_text.done', { content_index: 0, item_id: itemId, logprobs: [], output_index: outputIndex, text });
      emit('response.content_part.done', {
        content_index: 0,
        item_id: itemId,
        output_index: outputIndex,
        part: { ...emptyPart, text },
      });
    } else {
      const args = item.arguments ?? '';
      for (const delta of jsonPieces(args)) {
        emit('response.function_call_arguments.delta', { delta, item_id: itemId, obfuscation: obf(), output_index: outputIndex });
      }
      emit('response.function_call_arguments.done', { arguments: args, item_id: itemId, output_index: outputIndex });
    }
    emit('response.output_item.done', { item: item.done, output_index: outputIndex });
  });
  emit(finalStatus === 'completed' ? 'response.completed' : 'response.incomplete', { response: final });

  return {
    status: 200,
    headers: providerHeaders('openai', reply.seed, 'text/event-stream; charset=utf-8'),
    chunks: frames.map((frame, i) => ({ data: utf8(frame), delayMs: i === 0 ? 0 : reply.chunkDelayMs })),
  };
}
