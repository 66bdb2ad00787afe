import type { LLMFinishReason } from '../../protocol/response.js';
import { stableId } from './deterministic.js';
import { jsonPieces, namedEvent, textPieces, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import type { ResolvedReply } from './reply.js';
import { isStreamRequest, requestField } from './reply.js';
import type { WireResponse } from './types.js';

const STOP_REASON: Record<LLMFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
};

function model(body: unknown): string {
  const value = requestField(body, 'model');
  return typeof value === 'string' ? value : 'claude-haiku-4-5';
}

function usage(reply: ResolvedReply, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: reply.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
    inference_geo: 'not_available',
  };
}

function contentBlocks(reply: ResolvedReply): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (reply.content !== '' || reply.toolCalls.length === 0) blocks.push({ type: 'text', text: reply.content });
  reply.toolCalls.forEach((call, i) => {
    blocks.push({ type: 'tool_use', id: call.id ?? `toolu_01${stableId(`${reply.seed}/tool/${i}`, 22)}`, name: call.name, input: call.arguments });
  });
  return blocks;
}

/** A Message (WIRE-FORMATS §2.2) or its SSE event stream (§2.3). */
export function buildAnthropicMessages(body: unknown, reply: ResolvedReply): WireResponse {
  const id = `msg_01${stableId(`${reply.seed}/id`, 22)}`;
  const blocks = contentBlocks(reply);
  const stopReason = STOP_REASON[reply.finishReason];

  if (!isStreamRequest(body)) {
    const message = {
      model: model(body),
      id,
      type: 'message',
      role: 'assistant',
      content: blocks,
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: null,
      usage: usage(reply, reply.outputTokens),
    };
    return {
      status: 200,
      headers: providerHeaders('anthropic', reply.seed, 'application/json'),
      chunks: [{ data: utf8(JSON.stringify(message)), delayMs: 0 }],
    };
  }

  const frames: string[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}): void => {
    frames.push(namedEvent(type, { type, ...payload }));
  };
  emit('message_start', {
    message: {
      model: model(body),
      id,
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: usage(reply, 1),
    },
  });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
      // @note `ping` comes right after the first block starts, with its odd spacing (seen).
      if (index === 0) frames.push('event: ping\ndata: {"type": "ping"}\n\n');
      for (const text of textPieces(String(block.text))) emit('content_block_delta', { index, delta: { type: 'text_delta', text } });
    } else {
      emit('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      if (index === 0) frames.push('event: ping\ndata: {"type": "ping"}\n\n');
      // @note The first input_json_delta is empty (seen); a tool without arguments sends only that.
      emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      const json = JSON.stringify(block.input);
      if (json !== '{}') {
        for (const piece of jsonPieces(json)) emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
    }
    emit('content_block_stop', { index });
  });
  emit('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null },
    usage: { input_tokens: reply.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: reply.outputTokens },
  });
  emit('message_stop');

  const headers = providerHeaders('anthropic', reply.seed, 'text/event-stream; charset=utf-8');
  headers['cache-control'] = 'no-cache';
  return { status: 200, headers, chunks: frames.map((frame, i) => ({ data: utf8(frame), delayMs: i === 0 ? 0 : reply.chunkDelayMs })) };
}

/** `/v1/messages/count_tokens` → `{ input_tokens }`. */
export function buildAnthropicCountTokens(reply: ResolvedReply): WireResponse {
  return {
    status: 200,
    headers: providerHeaders('anthropic', reply.seed, 'application/json'),
    chunks: [{ data: utf8(JSON.stringify({ input_tokens: reply.inputTokens })), delayMs: 0 }],
  };
}
