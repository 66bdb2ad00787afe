import type { LLMContent, LLMRequest, LLMToolCall } from '../protocol/request.js';
import { contentText } from '../protocol/request.js';
import type { LLMFinishReason, LLMResponse, LLMUsage } from '../protocol/response.js';
import { makeUsage } from '../protocol/response.js';
import type { AdapterCall } from './define-adapter.js';
import { withProviderOptions } from './provider-options.js';
import type { JsonRecord } from './read.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt } from './read.js';
import type { ResponseMeta } from './response-meta.js';
import { withMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';

const PROVIDER = 'gemini';

function parts(content: LLMContent): JsonRecord[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.map((part) => {
    if (part.type === 'text') return { text: part.text };
    if (part.data !== undefined) return { inlineData: { mimeType: part.mimeType, data: part.data } };
    return { fileData: { fileUri: part.url, ...(part.mimeType === undefined ? {} : { mimeType: part.mimeType }) } };
  });
}

function functionResponse(text: string, isError: boolean): JsonRecord {
  // @note Gemini wants an object here; JSON tool output is passed through, other text wrapped.
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // not JSON: wrap below
  }
  return isError ? { error: text } : { result: text };
}

/** LLMRequest → `models.generateContent` params (without `model` and `abortSignal`). */
export function toGeminiParams(request: LLMRequest): { contents: JsonRecord[]; config: JsonRecord } {
  const system: string[] = [];
  const contents: { role: 'user' | 'model'; parts: JsonRecord[] }[] = [];
  const namesById = new Map<string, string>();
  const push = (role: 'user' | 'model', newParts: JsonRecord[]): void => {
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...newParts);
    else contents.push({ role, parts: newParts });
  };
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        system.push(contentText(message.content));
        break;
      case 'user':
        push('user', parts(message.content));
        break;
      case 'assistant':
        for (const call of message.toolCalls ?? []) namesById.set(call.id, call.name);
        push('model', [
          ...parts(message.content ?? ''),
          ...(message.toolCalls ?? []).map((call) => ({ functionCall: { id: call.id, name: call.name, args: call.arguments } })),
        ]);
        break;
      case 'tool':
        push('user', [
          {
            functionResponse: {
              id: message.toolCallId,
              name: message.name ?? namesById.get(message.toolCallId) ?? message.toolCallId,
              response: functionResponse(contentText(message.content), message.isError === true),
            },
          },
        ]);
        break;
    }
  }
  const config: JsonRecord = {};
  if (system.length) config.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters ?? { type: 'object', properties: {} },
        })),
      },
    ];
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    config.toolConfig = {
      functionCallingConfig:
        typeof choice === 'object'
          ? { mode: 'ANY', allowedFunctionNames: [choice.name] }
          : { mode: choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO' },
    };
  }
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema) config.responseJsonSchema = request.responseFormat.schema;
  }
  // @note Gemini's per-request parameters (thinkingConfig, safetySettings…) all live in `config`.
  return { contents, config: withProviderOptions(config, request, 'gemini') };
}

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT']);

export function geminiFinishReason(reason: string | undefined, hasToolCalls: boolean, promptBlocked: boolean): LLMFinishReason {
  if (promptBlocked) return 'content_filter';
  if (reason === undefined || reason === 'STOP') return hasToolCalls ? 'tool_calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content_filter';
  return 'error';
}

/**
 * totalTokenCount = prompt + toolUsePrompt + candidates + thoughts (WIRE-FORMATS §3.2), so input
 * and output are summed the same way and the total adds up.
 */
export function geminiUsage(usage: unknown): LLMUsage {
  const thoughts = numberAt(usage, 'thoughtsTokenCount');
  return makeUsage(
    (numberAt(usage, 'promptTokenCount') ?? 0) + (numberAt(usage, 'toolUsePromptTokenCount') ?? 0),
    (numberAt(usage, 'candidatesTokenCount') ?? 0) + (thoughts ?? 0),
    { cachedInputTokens: numberAt(usage, 'cachedContentTokenCount'), reasoningTokens: thoughts },
  );
}

export interface GeminiChunkParts {
  text: string;
  toolCalls: LLMToolCall[];
  finishReason: string | undefined;
}

/** Text and function calls of one response (or one stream chunk); thought summaries excluded. */
export function readCandidate(data: unknown, toolIndexOffset = 0): GeminiChunkParts {
  const candidate = arrayAt(data, 'candidates')?.[0];
  let text = '';
  const toolCalls: LLMToolCall[] = [];
  for (const part of arrayAt(recordAt(candidate, 'content'), 'parts') ?? []) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) text += part.text;
    const fn = recordAt(part, 'functionCall');
    if (fn) {
      const name = stringAt(fn, 'name') ?? '';
      // @note The Gemini API does not always send call ids; a positional id keeps tool results linkable.
      const id = stringAt(fn, 'id') ?? `call_${toolIndexOffset + toolCalls.length}_${name}`;
      toolCalls.push({ id, name, arguments: recordAt(fn, 'args') ?? {} });
    }
  }
  return { text, toolCalls, finishReason: stringAt(candidate, 'finishReason') };
}

export function fromGenerateContent(data: unknown, call: AdapterCall, meta: ResponseMeta): LLMResponse {
  const candidates = arrayAt(data, 'candidates');
  const blocked = stringAt(recordAt(data, 'promptFeedback'), 'blockReason') !== undefined;
  if (!candidates && !blocked) throw malformed(PROVIDER, 'neither `candidates` nor `promptFeedback` in the response', data);
  const { text, toolCalls, finishReason } = readCandidate(data);
  return withMeta(
    {
      content: text,
      toolCalls,
      finishReason: geminiFinishReason(finishReason, toolCalls.length > 0, blocked && !candidates?.length),
      model: stringAt(data, 'modelVersion') ?? call.model,
      usage: geminiUsage(recordAt(data, 'usageMetadata')),
      raw: data,
    },
    meta,
  );
}
