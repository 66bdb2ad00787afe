import type { LLMFaultKind } from './faults.js';
import { exampleFromSchema } from './json-example.js';
import type { LLMRequest, LLMToolCall } from './request.js';
import { contentText } from './request.js';
import type { LLMFinishReason, LLMRateLimit, LLMUsage } from './response.js';

/**
 * The one vocabulary of scripted answers, shared by `MockLLMProvider` (a provider) and
 * `withMockLLM` (the same answers in each provider's wire format).
 */

/** A tool call in a scripted reply; the mock fills in a deterministic `id` when it is missing. */
export interface MockToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** A failure in place of an answer: a fault kind, or any HTTP status with the provider's error body. */
export interface MockReplyError {
  /** One of the fault kinds; or give `status` instead. */
  readonly kind?: LLMFaultKind;
  /** Any HTTP error status (404, 413, 529…), classified as the adapters classify it. */
  readonly status?: number;
  readonly message?: string;
  /** For a rate limit: how long the provider asks to wait (sent as `retry-after`). */
  readonly retryAfterMs?: number;
}

/** A partial `LLMResponse`: anything left out is filled in deterministically. */
export interface MockReplyInit {
  readonly content?: string;
  readonly toolCalls?: readonly MockToolCall[];
  readonly finishReason?: LLMFinishReason;
  /** The model the answer names (default: the request's). */
  readonly model?: string;
  /** Missing counts are estimated (about four characters a token); `totalTokens` always adds up. */
  readonly usage?: Partial<LLMUsage>;
  /** `requestId` of the response (`x-request-id` / `request-id` on the wire). */
  readonly requestId?: string;
  /** `rateLimit` of the response (`MockLLMProvider` only; the wire mock sends fixed headers). */
  readonly rateLimit?: LLMRateLimit;
  /** `raw` of the response (`MockLLMProvider` only). */
  readonly raw?: unknown;
  /** Delay between streamed chunks of this answer; overrides the option of the same name. */
  readonly chunkDelayMs?: number;
  /** Fail instead of answering: `'rate-limit'`, or `{ status: 404, message }`. */
  readonly error?: LLMFaultKind | MockReplyError;
}

/**
 * What a mock answers: text, a partial response, or an `Error` (thrown by `MockLLMProvider`, a
 * connection failure on the wire).
 */
export type MockReply = string | MockReplyInit | Error;

export interface MockReplyContext {
  /** 0-based index of this call among the calls that reached the "network" (see `calls`). */
  readonly index: number;
}

/** Replies consumed in call order (the last one repeats), or a function of the request. */
export type MockReplies = readonly MockReply[] | ((request: LLMRequest, context: MockReplyContext) => MockReply | Promise<MockReply>);

/** A reply as a plain object (`'Hi'` → `{ content: 'Hi' }`); errors stay errors. */
export function replyInit(reply: string | MockReplyInit): MockReplyInit {
  return typeof reply === 'string' ? { content: reply } : reply;
}

/** `error` of a reply with its shorthand spelled out. */
export function replyError(init: MockReplyInit): MockReplyError | undefined {
  const error = init.error;
  return typeof error === 'string' ? { kind: error } : error;
}

export function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'message' in value && 'stack' in value);
}

function lastMessage(request: LLMRequest): LLMRequest['messages'][number] | undefined {
  return request.messages[request.messages.length - 1];
}

/**
 * What `MockLLMProvider` answers without a script: JSON that fits the requested schema, a call of
 * the forced tool with example arguments, or a short text that quotes the prompt. Every answer is a
 * pure function of the request, so replays and concurrent calls stay deterministic.
 */
export function defaultMockReply(request: LLMRequest): MockReplyInit {
  const last = lastMessage(request);
  const answeringToolResult = last?.role === 'tool';
  const choice = request.toolChoice;
  const tools = request.tools ?? [];
  if (!answeringToolResult && tools.length > 0 && (choice === 'required' || typeof choice === 'object')) {
    const tool = typeof choice === 'object' ? tools.find((t) => t.name === choice.name) : tools[0];
    if (tool) {
      const args = exampleFromSchema(tool.parameters ?? { type: 'object' });
      const call: Omit<LLMToolCall, 'id'> = {
        name: tool.name,
        arguments: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
      };
      return { toolCalls: [call] };
    }
  }
  if (request.responseFormat?.type === 'json') {
    return { content: JSON.stringify(exampleFromSchema(request.responseFormat.schema ?? { type: 'object' })) };
  }
  if (answeringToolResult) {
    return { content: `The tool returned: ${contentText(last.content).slice(0, 200)}` };
  }
  const prompt = contentText(last?.content ?? '').slice(0, 80);
  return { content: `Mock reply to: ${prompt}` };
}
