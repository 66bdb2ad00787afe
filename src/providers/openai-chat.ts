import type { LLMContent, LLMRequest, LLMToolCall } from '../protocol/request.js';
import { contentText } from '../protocol/request.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent, LLMUsage } from '../protocol/response.js';
import { makeUsage } from '../protocol/response.js';
import type { AdapterCall } from './define-adapter.js';
import { withProviderOptions } from './provider-options.js';
import type { JsonRecord } from './read.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt } from './read.js';
import type { ResponseMeta as Meta } from './response-meta.js';
import { withMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';
import { parseToolArguments } from './tool-arguments.js';

const PROVIDER = 'openai';

function chatContent(content: LLMContent): string | JsonRecord[] {
  if (typeof content === 'string') return content;
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: part.url ?? `data:${part.mimeType};base64,${part.data}` } },
  );
}

/** LLMRequest → Chat Completions body. */
export function toChatBody(request: LLMRequest, model: string, stream: boolean): JsonRecord {
  const messages = request.messages.map((message): JsonRecord => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return { role: 'user', content: chatContent(message.content) };
      case 'assistant': {
        const out: JsonRecord = { role: 'assistant', content: message.content == null ? null : contentText(message.content) };
        if (message.toolCalls?.length) {
          out.tool_calls = message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          }));
        }
        return out;
      }
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId, content: contentText(message.content) };
      default:
        return message satisfies never;
    }
  });
  const body: JsonRecord = { model, messages };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // @note max_completion_tokens, not the deprecated max_tokens, which reasoning models reject.
  if (request.maxTokens !== undefined) body.max_completion_tokens = request.maxTokens;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters ?? { type: 'object', properties: {} },
      },
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
  }
  const format = request.responseFormat;
  if (format?.type === 'json') {
    body.response_format = format.schema
      ? { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema } }
      : { type: 'json_object' };
  }
  // @note `metadata` is not forwarded: Chat Completions rejects it (400) unless `store: true`, and
  // storing completions is a side effect the caller did not ask for.
  if (stream) {
    body.stream = true;
    // @note Without include_usage a chat stream reports no token counts at all.
    body.stream_options = { include_usage: true };
  }
  return withProviderOptions(body, request, 'openai');
}

export function chatFinishReason(reason: unknown, hasToolCalls = false): LLMFinishReason {
  // @note A forced `tool_choice: {function}` ends with "stop" although the answer is a tool call.
  if (reason === 'stop' && hasToolCalls) return 'tool_calls';
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'error';
  }
}

/** OpenAI usage (chat `prompt_tokens`, responses `input_tokens`) → LLMUsage. */
export function openaiUsage(usage: unknown): LLMUsage {
  const input = numberAt(usage, 'prompt_tokens') ?? numberAt(usage, 'input_tokens') ?? 0;
  const output = numberAt(usage, 'completion_tokens') ?? numberAt(usage, 'output_tokens') ?? 0;
  const inputDetails = recordAt(usage, 'prompt_tokens_details') ?? recordAt(usage, 'input_tokens_details');
  const outputDetails = recordAt(usage, 'completion_tokens_details') ?? recordAt(usage, 'output_tokens_details');
  return makeUsage(input, output, {
    cachedInputTokens: numberAt(inputDetails, 'cached_tokens'),
    reasoningTokens: numberAt(outputDetails, 'reasoning_tokens'),
  });
}

/** A chat.completion body → LLMResponse. */
export function fromChatCompletion(data: unknown, call: AdapterCall, meta: Meta): LLMResponse {
  const choice = arrayAt(data, 'choices')?.[0];
  const message = recordAt(choice, 'message');
  if (!isRecord(choice) || !message) throw malformed(PROVIDER, 'no `choices[0].message` in the chat completion', data, meta.requestId);
  const toolCalls: LLMToolCall[] = (arrayAt(message, 'tool_calls') ?? []).map((raw) => {
    const fn = recordAt(raw, 'function');
    const name = stringAt(fn, 'name') ?? '';
    return { id: stringAt(raw, 'id') ?? '', name, arguments: parseToolArguments(stringAt(fn, 'arguments') ?? '', PROVIDER, name) };
  });
  return withMeta(
    {
      content: stringAt(message, 'content') ?? '',
      toolCalls,
      finishReason: chatFinishReason(choice.finish_reason, toolCalls.length > 0),
      model: stringAt(data, 'model') ?? call.model,
      usage: openaiUsage(recordAt(data, 'usage')),
      raw: data,
    },
    meta,
  );
}

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
  index: number;
}

/**
 * Turns chat.completion.chunk objects into stream events and, at the end, the final response.
 * Tool-call fragments are keyed by the chunk's `index` and concatenated (WIRE-FORMATS §1.3).
 */
export async function* chatStreamEvents(chunks: AsyncIterable<unknown>, call: AdapterCall, meta: () => Meta): AsyncGenerator<LLMStreamEvent> {
  const raw: unknown[] = [];
  let content = '';
  let model: string | undefined;
  let finish: unknown;
  let usage: unknown;
  const calls = new Map<number, PendingToolCall>();
  for await (const chunk of chunks) {
    raw.push(chunk);
    model = stringAt(chunk, 'model') ?? model;
    if (recordAt(chunk, 'usage')) usage = recordAt(chunk, 'usage');
    const choice = arrayAt(chunk, 'choices')?.[0];
    if (!isRecord(choice)) continue;
    const delta = recordAt(choice, 'delta');
    const text = stringAt(delta, 'content');
    if (text) {
      content += text;
      yield { type: 'text-delta', text };
    }
    for (const fragment of arrayAt(delta, 'tool_calls') ?? []) {
      const key = numberAt(fragment, 'index') ?? 0;
      const fn = recordAt(fragment, 'function');
      let pending = calls.get(key);
      if (!pending) {
        pending = { id: stringAt(fragment, 'id') ?? '', name: stringAt(fn, 'name') ?? '', arguments: '', index: calls.size };
        calls.set(key, pending);
      }
      const piece = stringAt(fn, 'arguments') ?? '';
      pending.arguments += piece;
      yield { type: 'tool-call-delta', index: pending.index, id: pending.id, name: pending.name, argumentsDelta: piece };
    }
    if (choice.finish_reason != null) finish = choice.finish_reason;
  }
  const info = meta();
  if (finish === undefined) throw malformed(PROVIDER, 'the chat stream ended without a finish_reason', raw, info.requestId);
  const toolCalls = [...calls.values()].map((pending) => ({
    id: pending.id,
    name: pending.name,
    arguments: parseToolArguments(pending.arguments, PROVIDER, pending.name),
  }));
  yield {
    type: 'finish',
    response: withMeta(
      { content, toolCalls, finishReason: chatFinishReason(finish, toolCalls.length > 0), model: model ?? call.model, usage: openaiUsage(usage), raw },
      info,
    ),
  };
}
