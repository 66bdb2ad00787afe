import { detectEndpoint } from '../mock/wire/detect-endpoint.js';
import type { WireTarget } from '../mock/wire/types.js';
import type { LLMUsage } from '../protocol/response.js';
import type { RecordedEvent } from '../stream/recorded-events.js';
import { fromMessage, messageStreamEvents } from './anthropic-messages.js';
import type { AdapterCall } from './define-adapter.js';
import { fromGenerateContent, geminiFinishReason, geminiUsage, readCandidate } from './gemini-content.js';
import { chatStreamEvents, fromChatCompletion } from './openai-chat.js';
import { fromResponsesObject, responsesStreamEvents } from './openai-responses.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt } from './read.js';

/** What a recorded LLM request asked for, read from its wire body. */
export interface RequestSummary {
  /** `openai chat`, `anthropic messages`, `gemini streamGenerateContent`; absent for other APIs. */
  api?: string;
  model?: string;
  /** Messages (or contents / input items) sent. */
  messages?: number;
  temperature?: number;
  maxTokens?: number;
  /** Names of the tools offered. */
  tools?: string[];
  stream: boolean;
}

/** What a recorded LLM response said, read by the same adapters the provider interface uses. */
export interface AnswerSummary {
  text: string;
  toolCalls: { name: string; arguments: string }[];
  usage?: LLMUsage;
  finishReason?: string;
  /** Why the answer is partial or could not be read (a cut stream, an error event). */
  problem?: string;
}

/** Which provider API a recorded request called, from its method and path. */
export function targetOf(method: string, url: string): WireTarget | undefined {
  return detectEndpoint(method, url);
}

const first = (...values: (number | undefined)[]): number | undefined => values.find((v) => v !== undefined);

export function summarizeRequest(target: WireTarget | undefined, body: unknown): RequestSummary {
  const config = recordAt(body, 'generationConfig') ?? recordAt(body, 'config');
  const summary: Omit<RequestSummary, 'stream'> = {};
  if (target) summary.api = `${target.provider} ${target.endpoint}`;
  const model = stringAt(body, 'model') ?? target?.model;
  if (model !== undefined) summary.model = model;
  const input = isRecord(body) ? body['input'] : undefined;
  const messages = arrayAt(body, 'messages') ?? arrayAt(body, 'contents') ?? (Array.isArray(input) ? input : undefined);
  if (messages) summary.messages = messages.length;
  else if (typeof input === 'string') summary.messages = 1;
  const temperature = first(numberAt(body, 'temperature'), numberAt(config, 'temperature'));
  if (temperature !== undefined) summary.temperature = temperature;
  const maxTokens = first(
    numberAt(body, 'max_tokens'),
    numberAt(body, 'max_completion_tokens'),
    numberAt(body, 'max_output_tokens'),
    numberAt(config, 'maxOutputTokens'),
  );
  if (maxTokens !== undefined) summary.maxTokens = maxTokens;
  const tools = (arrayAt(body, 'tools') ?? []).flatMap((tool) => {
    const declared = arrayAt(tool, 'functionDeclarations');
    if (declared) return declared.map((fn) => stringAt(fn, 'name') ?? '?');
    return [stringAt(recordAt(tool, 'function'), 'name') ?? stringAt(tool, 'name') ?? stringAt(tool, 'type') ?? '?'];
  });
  if (tools.length > 0) summary.tools = tools;
  return { ...summary, stream: target?.endpoint === 'streamGenerateContent' || (isRecord(body) && body['stream'] === true) };
}

const CALL: AdapterCall = { request: { messages: [] }, model: '', signal: undefined, startedAt: 0 };
const META = () => ({ latencyMs: 0 });

/** The answer of a whole (non-streamed) response body; undefined for APIs that give none. */
export function readAnswer(target: WireTarget | undefined, body: unknown): AnswerSummary | undefined {
  if (!target) return undefined;
  const adapter = BODY_READERS[target.endpoint];
  if (!adapter) return wholeStreamBody(target, body);
  try {
    const response = adapter(body);
    return {
      text: response.content,
      toolCalls: response.toolCalls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) })),
      ...(response.usage.totalTokens > 0 ? { usage: response.usage } : {}),
      finishReason: response.finishReason,
    };
  } catch (error) {
    return { text: '', toolCalls: [], problem: firstLine(error) };
  }
}

const BODY_READERS: Partial<Record<WireTarget['endpoint'], (body: unknown) => ReturnType<typeof fromMessage>>> = {
  chat: (body) => fromChatCompletion(body, CALL, META()),
  responses: (body) => fromResponsesObject(body, CALL, META()),
  messages: (body) => fromMessage(body, CALL, META()),
  generateContent: (body) => fromGenerateContent(body, CALL, META()),
};

/** A whole body answered to a stream request (Gemini's JSON-array form, or a non-streamed reply). */
function wholeStreamBody(target: WireTarget, body: unknown): AnswerSummary | undefined {
  if (target.endpoint !== 'streamGenerateContent') return undefined;
  return geminiStreamAnswer(Array.isArray(body) ? body : [body]);
}

/** The answer assembled from a recorded stream's events, by the adapters' own stream readers. */
export async function readStreamAnswer(target: WireTarget | undefined, events: readonly RecordedEvent[]): Promise<AnswerSummary | undefined> {
  if (!target) return undefined;
  const data = events.filter((e) => e.json).map((e) => e.data);
  if (target.endpoint === 'streamGenerateContent') return geminiStreamAnswer(data);
  const reader = STREAM_READERS[target.endpoint];
  if (!reader) return undefined;
  const answer: AnswerSummary = { text: '', toolCalls: [] };
  try {
    for await (const event of reader(iterate(data))) {
      if (event.type === 'text-delta') answer.text += event.text;
      else if (event.type === 'tool-call-delta') {
        const call = (answer.toolCalls[event.index] ??= { name: event.name, arguments: '' });
        call.arguments += event.argumentsDelta;
      } else {
        answer.text = event.response.content;
        answer.toolCalls = event.response.toolCalls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) }));
        // @note a stream that reported no usage (chat without stream_options.include_usage) reads as zeros
        if (event.response.usage.totalTokens > 0) answer.usage = event.response.usage;
        answer.finishReason = event.response.finishReason;
      }
    }
  } catch (error) {
    answer.problem = firstLine(error);
  }
  return answer;
}

const STREAM_READERS: Partial<Record<WireTarget['endpoint'], (events: AsyncIterable<unknown>) => ReturnType<typeof chatStreamEvents>>> = {
  chat: (events) => chatStreamEvents(events, CALL, META),
  responses: (events) => responsesStreamEvents(events, CALL, META),
  messages: (events) => messageStreamEvents(events, CALL, META),
};

/** @note the Gemini adapter reads its stream inline; these are the same per-chunk readers it uses. */
function geminiStreamAnswer(chunks: readonly unknown[]): AnswerSummary {
  const answer: AnswerSummary = { text: '', toolCalls: [] };
  let usage: unknown;
  let finish: string | undefined;
  for (const chunk of chunks) {
    const parts = readCandidate(chunk, answer.toolCalls.length);
    answer.text += parts.text;
    for (const call of parts.toolCalls) answer.toolCalls.push({ name: call.name, arguments: JSON.stringify(call.arguments) });
    finish = parts.finishReason ?? finish;
    usage = recordAt(chunk, 'usageMetadata') ?? usage;
  }
  if (usage !== undefined) answer.usage = geminiUsage(usage);
  if (finish === undefined) answer.problem = 'the stream ended without a finishReason';
  else answer.finishReason = geminiFinishReason(finish, answer.toolCalls.length > 0, false);
  return answer;
}

/** The provider's error message in an error response body (`error.message` in all three). */
export function errorMessageOf(body: unknown): string | undefined {
  const error = isRecord(body) ? body['error'] : undefined;
  if (typeof error === 'string') return error;
  return stringAt(error, 'message') ?? (Array.isArray(body) ? errorMessageOf(body[0]) : undefined);
}

async function* iterate(items: readonly unknown[]): AsyncGenerator<unknown> {
  yield* items;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
