import type { LLMContent, LLMRequest, LLMToolCall } from '../protocol/request.js';
import { contentText } from '../protocol/request.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import type { AdapterCall } from './define-adapter.js';
import { openaiUsage } from './openai-chat.js';
import { withProviderOptions } from './provider-options.js';
import type { JsonRecord } from './read.js';
import { arrayAt, isRecord, recordAt, stringAt } from './read.js';
import type { ResponseMeta } from './response-meta.js';
import { withMeta } from './response-meta.js';
import { malformed, toLLMError } from './sdk-error.js';
import { parseToolArguments } from './tool-arguments.js';

const PROVIDER = 'openai';

/** What the Responses API has no parameter for: refused up front (Chat Completions has them all). */
export const RESPONSES_UNSUPPORTED = {
  fields: ['stop', 'frequencyPenalty', 'presencePenalty', 'seed'],
  by: 'the OpenAI Responses API (api: "chat" has it)',
} as const;

function inputContent(content: LLMContent): string | JsonRecord[] {
  if (typeof content === 'string') return content;
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: part.url ?? `data:${part.mimeType};base64,${part.data}` },
  );
}

/** LLMRequest → Responses API body. */
export function toResponsesBody(request: LLMRequest, model: string, stream: boolean): JsonRecord {
  const input: JsonRecord[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        input.push({ role: 'system', content: contentText(message.content) });
        break;
      case 'user':
        input.push({ role: 'user', content: inputContent(message.content) });
        break;
      case 'assistant': {
        const text = contentText(message.content ?? null);
        if (text !== '') input.push({ role: 'assistant', content: text });
        for (const call of message.toolCalls ?? []) {
          input.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) });
        }
        break;
      }
      case 'tool':
        input.push({ type: 'function_call_output', call_id: message.toolCallId, output: contentText(message.content) });
        break;
    }
  }
  const body: JsonRecord = { model, input };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.tools?.length) {
    // @note Responses function tools are flat ({type, name, …}), unlike chat's nested `function`.
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters ?? { type: 'object', properties: {} },
      strict: false,
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
  const format = request.responseFormat;
  if (format?.type === 'json') {
    body.text = {
      format: format.schema ? { type: 'json_schema', name: format.name ?? 'response', schema: format.schema, strict: false } : { type: 'json_object' },
    };
  }
  if (request.metadata !== undefined) body.metadata = request.metadata;
  if (stream) body.stream = true;
  return withProviderOptions(body, request, 'openai');
}

function responsesFinishReason(data: unknown, hasToolCalls: boolean): LLMFinishReason {
  const status = stringAt(data, 'status');
  if (status === 'incomplete') {
    const reason = stringAt(recordAt(data, 'incomplete_details'), 'reason');
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  if (status === 'failed' || status === 'cancelled') return 'error';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** A Responses API `response` object → LLMResponse. */
export function fromResponsesObject(data: unknown, call: AdapterCall, meta: ResponseMeta, raw: unknown = data): LLMResponse {
  const output = arrayAt(data, 'output');
  if (!output) throw malformed(PROVIDER, 'no `output` array in the response object', data, meta.requestId);
  let content = '';
  const toolCalls: LLMToolCall[] = [];
  for (const item of output) {
    const type = stringAt(item, 'type');
    if (type === 'message') {
      for (const part of arrayAt(item, 'content') ?? []) {
        if (stringAt(part, 'type') === 'output_text') content += stringAt(part, 'text') ?? '';
      }
    } else if (type === 'function_call') {
      const name = stringAt(item, 'name') ?? '';
      toolCalls.push({
        id: stringAt(item, 'call_id') ?? stringAt(item, 'id') ?? '',
        name,
        arguments: parseToolArguments(stringAt(item, 'arguments') ?? '', PROVIDER, name),
      });
    }
  }
  return withMeta(
    {
      content,
      toolCalls,
      finishReason: responsesFinishReason(data, toolCalls.length > 0),
      model: stringAt(data, 'model') ?? call.model,
      usage: openaiUsage(recordAt(data, 'usage')),
      raw,
    },
    meta,
  );
}

/** Responses SSE events → stream events; the final response comes from `response.completed`. */
export async function* responsesStreamEvents(events: AsyncIterable<unknown>, call: AdapterCall, meta: () => ResponseMeta): AsyncGenerator<LLMStreamEvent> {
  const raw: unknown[] = [];
  const toolItems = new Map<string, { index: number; id: string; name: string }>();
  for await (const event of events) {
    raw.push(event);
    const type = stringAt(event, 'type');
    if (type === 'response.output_text.delta') {
      const text = stringAt(event, 'delta') ?? '';
      if (text) yield { type: 'text-delta', text };
    } else if (type === 'response.output_item.added') {
      const item = recordAt(event, 'item');
      if (stringAt(item, 'type') === 'function_call') {
        const entry = { index: toolItems.size, id: stringAt(item, 'call_id') ?? '', name: stringAt(item, 'name') ?? '' };
        toolItems.set(stringAt(item, 'id') ?? String(toolItems.size), entry);
        yield { type: 'tool-call-delta', ...entry, argumentsDelta: stringAt(item, 'arguments') ?? '' };
      }
    } else if (type === 'response.function_call_arguments.delta') {
      const entry = toolItems.get(stringAt(event, 'item_id') ?? '');
      if (entry) yield { type: 'tool-call-delta', ...entry, argumentsDelta: stringAt(event, 'delta') ?? '' };
    } else if (type === 'response.completed' || type === 'response.incomplete') {
      yield { type: 'finish', response: fromResponsesObject(recordAt(event, 'response'), call, meta(), raw) };
      return;
    } else if (type === 'error' || type === 'response.failed') {
      // @note A failure after the 200 header arrives as an event (WIRE-FORMATS §1.6), not a status.
      const error = isRecord(event) && type === 'error' ? (recordAt(event, 'error') ?? event) : recordAt(recordAt(event, 'response'), 'error');
      throw toLLMError(Object.assign(new Error(stringAt(error, 'message') ?? 'stream failed'), { name: 'StreamError', error: error ?? {} }), {
        provider: PROVIDER,
        signal: call.signal,
      });
    }
  }
  throw malformed(PROVIDER, 'the Responses stream ended without response.completed', raw, meta().requestId);
}
