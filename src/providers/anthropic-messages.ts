import type { LLMContent, LLMRequest, LLMToolCall } from '../protocol/request.js';
import { contentText } from '../protocol/request.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent, LLMUsage } from '../protocol/response.js';
import { makeUsage } from '../protocol/response.js';
import type { AdapterCall } from './define-adapter.js';
import { withProviderOptions } from './provider-options.js';
import type { JsonRecord } from './read.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt } from './read.js';
import type { ResponseMeta } from './response-meta.js';
import { withMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';
import { parseToolArguments } from './tool-arguments.js';

const PROVIDER = 'anthropic';

function blocks(content: LLMContent): JsonRecord[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : {
          type: 'image',
          source: part.url ? { type: 'url', url: part.url } : { type: 'base64', media_type: part.mimeType, data: part.data },
        },
  );
}

/**
 * LLMRequest → Messages API body. System messages move to `system`; tool results become
 * `tool_result` blocks of a user turn; consecutive turns of one role merge, because the API
 * wants user and assistant to alternate.
 */
export function toMessagesBody(request: LLMRequest, model: string, defaultMaxTokens: number, stream: boolean): JsonRecord {
  const system: string[] = [];
  const turns: { role: 'user' | 'assistant'; content: JsonRecord[] }[] = [];
  const push = (role: 'user' | 'assistant', content: JsonRecord[]): void => {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        system.push(contentText(message.content));
        break;
      case 'user':
        push('user', blocks(message.content));
        break;
      case 'assistant':
        push('assistant', [
          ...blocks(message.content ?? ''),
          ...(message.toolCalls ?? []).map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments })),
        ]);
        break;
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.toolCallId,
            content: contentText(message.content),
            ...(message.isError ? { is_error: true } : {}),
          },
        ]);
        break;
    }
  }
  const body: JsonRecord = {
    model,
    // @note max_tokens is required by the Messages API.
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    messages: turns,
  };
  if (system.length) body.system = system.join('\n\n');
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    body.tool_choice = choice === 'required' ? { type: 'any' } : typeof choice === 'string' ? { type: choice } : { type: 'tool', name: choice.name };
  }
  if (request.responseFormat?.type === 'json') {
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema ?? { type: 'object' } } };
  }
  const userId = request.metadata?.userId;
  if (userId !== undefined) body.metadata = { user_id: userId };
  if (stream) body.stream = true;
  return withProviderOptions(body, request, 'anthropic');
}

export function anthropicFinishReason(reason: unknown): LLMFinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'error';
  }
}

/** input_tokens excludes cache reads and writes; LLMUsage.inputTokens counts the whole prompt. */
export function anthropicUsage(usage: unknown): LLMUsage {
  const cacheRead = numberAt(usage, 'cache_read_input_tokens');
  const input = (numberAt(usage, 'input_tokens') ?? 0) + (numberAt(usage, 'cache_creation_input_tokens') ?? 0) + (cacheRead ?? 0);
  return makeUsage(input, numberAt(usage, 'output_tokens') ?? 0, {
    cachedInputTokens: cacheRead,
    reasoningTokens: numberAt(recordAt(usage, 'output_tokens_details'), 'thinking_tokens'),
  });
}

export function fromMessage(data: unknown, call: AdapterCall, meta: ResponseMeta, raw: unknown = data): LLMResponse {
  const content = arrayAt(data, 'content');
  if (!content) throw malformed(PROVIDER, 'no `content` array in the message', data, meta.requestId);
  let text = '';
  const toolCalls: LLMToolCall[] = [];
  for (const block of content) {
    const type = stringAt(block, 'type');
    if (type === 'text') text += stringAt(block, 'text') ?? '';
    else if (type === 'tool_use') {
      const input = recordAt(block, 'input') ?? {};
      toolCalls.push({ id: stringAt(block, 'id') ?? '', name: stringAt(block, 'name') ?? '', arguments: input });
    }
  }
  return withMeta(
    {
      content: text,
      toolCalls,
      finishReason: anthropicFinishReason(isRecord(data) ? data.stop_reason : undefined),
      model: stringAt(data, 'model') ?? call.model,
      usage: anthropicUsage(recordAt(data, 'usage')),
      raw,
    },
    meta,
  );
}

/**
 * Messages SSE events → stream events. Rebuilds the final Message the way the SDK's
 * `finalMessage()` does: blocks by index, `partial_json` concatenated, usage from message_delta.
 */
export async function* messageStreamEvents(events: AsyncIterable<unknown>, call: AdapterCall, meta: () => ResponseMeta): AsyncGenerator<LLMStreamEvent> {
  const raw: unknown[] = [];
  let message: JsonRecord | undefined;
  const blocksByIndex = new Map<number, JsonRecord>();
  const toolJson = new Map<number, { index: number; id: string; name: string; json: string }>();
  for await (const event of events) {
    raw.push(event);
    const type = stringAt(event, 'type');
    if (type === 'message_start') {
      message = { ...(recordAt(event, 'message') ?? {}) };
    } else if (type === 'content_block_start') {
      const index = numberAt(event, 'index') ?? blocksByIndex.size;
      const block = { ...(recordAt(event, 'content_block') ?? {}) };
      blocksByIndex.set(index, block);
      if (block.type === 'tool_use') {
        const entry = { index: toolJson.size, id: stringAt(block, 'id') ?? '', name: stringAt(block, 'name') ?? '', json: '' };
        toolJson.set(index, entry);
        yield { type: 'tool-call-delta', index: entry.index, id: entry.id, name: entry.name, argumentsDelta: '' };
      }
    } else if (type === 'content_block_delta') {
      const index = numberAt(event, 'index') ?? 0;
      const delta = recordAt(event, 'delta');
      const block = blocksByIndex.get(index);
      const deltaType = stringAt(delta, 'type');
      if (deltaType === 'text_delta') {
        const text = stringAt(delta, 'text') ?? '';
        if (block) block.text = `${stringAt(block, 'text') ?? ''}${text}`;
        if (text) yield { type: 'text-delta', text };
      } else if (deltaType === 'input_json_delta') {
        const piece = stringAt(delta, 'partial_json') ?? '';
        const entry = toolJson.get(index);
        if (entry) {
          entry.json += piece;
          if (piece) yield { type: 'tool-call-delta', index: entry.index, id: entry.id, name: entry.name, argumentsDelta: piece };
        }
      } else if (deltaType === 'thinking_delta' && block) {
        block.thinking = `${stringAt(block, 'thinking') ?? ''}${stringAt(delta, 'thinking') ?? ''}`;
      } else if (deltaType === 'signature_delta' && block) {
        block.signature = stringAt(delta, 'signature') ?? '';
      }
    } else if (type === 'content_block_stop') {
      const index = numberAt(event, 'index') ?? 0;
      const entry = toolJson.get(index);
      const block = blocksByIndex.get(index);
      if (entry && block) block.input = parseToolArguments(entry.json, PROVIDER, entry.name);
    } else if (type === 'message_delta' && message) {
      Object.assign(message, recordAt(event, 'delta') ?? {});
      // @note message_delta usage is cumulative; it overrides the counts from message_start.
      message.usage = { ...(recordAt(message, 'usage') ?? {}), ...(recordAt(event, 'usage') ?? {}) };
    } else if (type === 'message_stop') {
      if (!message) break;
      message.content = [...blocksByIndex.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
      yield { type: 'finish', response: fromMessage(message, call, meta(), raw) };
      return;
    }
  }
  throw malformed(PROVIDER, 'the message stream ended without message_stop', raw, meta().requestId);
}
