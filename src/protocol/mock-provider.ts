import { abortableDelay, abortReason, raceAbort, throwIfAborted } from './abort.js';
import type { LLMError } from './errors.js';
import { LLMProviderUnavailableError, LLMRateLimitError, LLMResponseError, LLMTimeoutError } from './errors.js';
import type { MockLLMReplies, MockLLMReply, MockLLMResponseInit } from './mock-reply.js';
import { defaultMockReply } from './mock-reply.js';
import type { HealthStatus, LLMCallOptions, LLMProvider } from './provider.js';
import type { LLMRequest, LLMToolCall } from './request.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent } from './response.js';
import { makeUsage } from './response.js';
import { estimateRequestTokens, estimateTokens, estimateToolCallTokens } from './token-estimate.js';
import { validateRequest } from './validate-request.js';

export type MockLLMFault = 'rate-limit' | 'timeout' | 'unavailable' | 'malformed';

export interface InjectFaultOptions {
  /** How many upcoming calls fail this way (default 1). */
  readonly times?: number;
  /** `retryAfterMs` of the injected rate-limit error (default 1000). */
  readonly retryAfterMs?: number;
}

export interface MockLLMCall {
  /** 0-based, in the order the calls were made (not the order they finished). */
  readonly index: number;
  readonly method: 'complete' | 'stream';
  /** A structured clone of the request as it was when the call was made. */
  readonly request: LLMRequest;
  readonly status: 'pending' | 'ok' | 'error' | 'aborted';
  readonly fault?: MockLLMFault;
  readonly response?: LLMResponse;
  readonly error?: unknown;
}

export interface MockLLMProviderOptions {
  readonly name?: string;
  readonly model?: string;
  /**
   * A list consumed in call order (the last entry repeats), or a function of the request.
   * Without it the mock answers with `defaultMockReply(request)`.
   */
  readonly replies?: MockLLMReplies;
  /** Time before the answer (complete) or the first chunk (stream). Default 0. */
  readonly latencyMs?: number;
  /** Characters per streamed text delta (and per tool-argument fragment). Default 8. */
  readonly chunkSize?: number;
  /** Delay between streamed chunks. Default 0. */
  readonly chunkDelayMs?: number;
  /** What `healthCheck()` reports. Default `{ healthy: true }`. */
  readonly health?: Omit<HealthStatus, 'latencyMs'> | (() => HealthStatus | Promise<HealthStatus>);
  /**
   * Called synchronously for every call that passed validation — the moment a real provider
   * would touch the network. Invalid requests never reach it.
   */
  readonly onCall?: (call: MockLLMCall) => void;
}

interface FaultEntry {
  kind: MockLLMFault;
  remaining: number;
  retryAfterMs: number;
}

type MutableCall = { -readonly [K in keyof MockLLMCall]: MockLLMCall[K] };

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'message' in value && 'stack' in value);
}

function chunkText(text: string, size: number): string[] {
  // @note Split by code point so that a delta never holds half of a surrogate pair (emoji).
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * A scripted, deterministic `LLMProvider` for tests: replies in call order, streams them in
 * chunks, logs every call, and fails on demand.
 */
export class MockLLMProvider implements LLMProvider {
  readonly name: string;
  readonly model: string;
  readonly #options: MockLLMProviderOptions;
  readonly #calls: MutableCall[] = [];
  readonly #faults: FaultEntry[] = [];
  #replyCursor = 0;
  #health: MockLLMProviderOptions['health'];

  constructor(options: MockLLMProviderOptions = {}) {
    this.name = options.name ?? 'mock';
    this.model = options.model ?? 'mock-model';
    this.#options = options;
    this.#health = options.health;
  }

  /** Every call that passed validation, in call order. */
  get calls(): readonly MockLLMCall[] {
    return this.#calls;
  }

  /** Makes the next `times` calls fail with `kind` instead of answering. Faults do not use up replies. */
  injectFault(kind: MockLLMFault, options: InjectFaultOptions = {}): this {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`cassettes: injectFault times must be a positive integer (got ${String(times)})`);
    }
    this.#faults.push({ kind, remaining: times, retryAfterMs: options.retryAfterMs ?? 1000 });
    return this;
  }

  setHealth(health: MockLLMProviderOptions['health']): void {
    this.#health = health;
  }

  /** Forgets calls, pending faults and the position in the reply list. */
  reset(): void {
    this.#calls.length = 0;
    this.#faults.length = 0;
    this.#replyCursor = 0;
  }

  async healthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    const health = this.#health;
    if (typeof health === 'function') return health();
    const latencyMs = performance.now() - started;
    if (!health) return { healthy: true, latencyMs };
    return health.error === undefined ? { healthy: health.healthy, latencyMs } : { healthy: health.healthy, latencyMs, error: health.error };
  }

  complete(request: LLMRequest, options: LLMCallOptions = {}): Promise<LLMResponse> {
    let started: ReturnType<MockLLMProvider['start']>;
    try {
      started = this.start('complete', request, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const { call, answer } = started;
    const run = async (): Promise<LLMResponse> => {
      await abortableDelay(this.#options.latencyMs ?? 0, options.signal);
      const response = await answer;
      throwIfAborted(options.signal);
      return response;
    };
    return this.settle(call, raceAbort(run(), options.signal), options.signal);
  }

  stream(request: LLMRequest, options: LLMCallOptions = {}): AsyncIterable<LLMStreamEvent> {
    // @note Validation and call bookkeeping happen on the first pull, like a real stream
    // that only sends its request when iterated.
    return { [Symbol.asyncIterator]: () => this.streamEvents(request, options.signal) };
  }

  private async *streamEvents(request: LLMRequest, signal: AbortSignal | undefined): AsyncGenerator<LLMStreamEvent> {
    const { call, answer } = this.start('stream', request, signal);
    const emitted: LLMStreamEvent[] = [];
    try {
      await abortableDelay(this.#options.latencyMs ?? 0, signal);
      const response = await raceAbort(answer, signal);
      const size = Math.max(1, this.#options.chunkSize ?? 8);
      const delay = this.#options.chunkDelayMs ?? 0;
      const deltas: LLMStreamEvent[] = chunkText(response.content, size).map((text) => ({ type: 'text-delta', text }));
      response.toolCalls.forEach((toolCall, index) => {
        const pieces = chunkText(JSON.stringify(toolCall.arguments), size);
        for (const argumentsDelta of pieces) {
          deltas.push({ type: 'tool-call-delta', index, id: toolCall.id, name: toolCall.name, argumentsDelta });
        }
      });
      for (const [i, event] of deltas.entries()) {
        if (i > 0) await abortableDelay(delay, signal);
        throwIfAborted(signal);
        emitted.push(event);
        yield event;
      }
      throwIfAborted(signal);
      const final: LLMResponse = { ...response, raw: emitted.slice() };
      call.status = 'ok';
      call.response = final;
      yield { type: 'finish', response: final };
    } catch (error) {
      this.fail(call, error, signal);
      throw error;
    } finally {
      if (call.status === 'pending') call.status = 'aborted';
    }
  }

  /** Validates, logs and picks the answer synchronously, so call order alone decides the outcome. */
  private start(method: MockLLMCall['method'], request: LLMRequest, signal: AbortSignal | undefined): { call: MutableCall; answer: Promise<LLMResponse> } {
    validateRequest(request, { provider: this.name });
    throwIfAborted(signal);
    const call: MutableCall = {
      index: this.#calls.length,
      method,
      request: structuredClone(request) as LLMRequest,
      status: 'pending',
    };
    this.#calls.push(call);
    const fault = this.takeFault();
    let answer: Promise<LLMResponse>;
    if (fault) {
      call.fault = fault.kind;
      answer = Promise.reject(this.faultError(fault, call.index));
    } else {
      const replyIndex = this.#replyCursor++;
      answer = this.resolveReply(request, replyIndex).then((reply) => this.buildResponse(request, reply, call.index));
    }
    // @note Without this, a call aborted before `answer` is awaited reports an unhandled rejection.
    answer.catch(() => undefined);
    this.#options.onCall?.(call);
    return { call, answer };
  }

  private takeFault(): FaultEntry | undefined {
    const head = this.#faults[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#faults.shift();
    return head;
  }

  private faultError(fault: FaultEntry, index: number): LLMError {
    const message = `cassettes: injected fault '${fault.kind}' on MockLLMProvider call #${index}`;
    const base = { provider: this.name, requestId: `mock-req-${index}` };
    switch (fault.kind) {
      case 'rate-limit':
        return new LLMRateLimitError(message, { ...base, status: 429, retryAfterMs: fault.retryAfterMs });
      case 'timeout':
        return new LLMTimeoutError(message, base);
      case 'unavailable':
        return new LLMProviderUnavailableError(message, { ...base, status: 503 });
      case 'malformed':
        return new LLMResponseError(message, { ...base, status: 200 });
    }
  }

  private async resolveReply(request: LLMRequest, index: number): Promise<MockLLMReply> {
    const replies = this.#options.replies;
    if (replies === undefined) return defaultMockReply(request);
    if (typeof replies === 'function') return replies(request, { index });
    if (replies.length === 0) return defaultMockReply(request);
    return replies[Math.min(index, replies.length - 1)] as MockLLMReply;
  }

  private buildResponse(request: LLMRequest, reply: MockLLMReply, index: number): LLMResponse {
    if (isErrorLike(reply)) throw reply;
    const init: MockLLMResponseInit = typeof reply === 'string' ? { content: reply } : reply;
    let content = init.content ?? '';
    const toolCalls: LLMToolCall[] = (init.toolCalls ?? []).map((toolCall, i) => ({
      id: toolCall.id ?? `call_mock_${index}_${i}`,
      name: toolCall.name,
      arguments: toolCall.arguments ?? {},
    }));
    let finishReason: LLMFinishReason = init.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    // @note Honour maxTokens the way a model does: cut the text and report `length`.
    const maxTokens = request.maxTokens;
    if (init.finishReason === undefined && maxTokens !== undefined && estimateTokens(content) > maxTokens) {
      content = Array.from(content)
        .slice(0, maxTokens * 4)
        .join('');
      finishReason = 'length';
    }
    const given = init.usage ?? {};
    const inputTokens = given.inputTokens ?? estimateRequestTokens(request);
    const outputTokens = given.outputTokens ?? estimateTokens(content) + toolCalls.reduce((sum, c) => sum + estimateToolCallTokens(c), 0);
    const usage = makeUsage(inputTokens, outputTokens, {
      cachedInputTokens: given.cachedInputTokens,
      reasoningTokens: given.reasoningTokens,
    });
    const model = init.model ?? request.model ?? this.model;
    const response: { -readonly [K in keyof LLMResponse]: LLMResponse[K] } = {
      content,
      toolCalls,
      finishReason,
      model,
      usage,
      latencyMs: this.#options.latencyMs ?? 0,
      requestId: init.requestId ?? `mock-req-${index}`,
      raw: init.raw ?? { id: `mock-${index}`, content, toolCalls, finishReason, model, usage },
    };
    if (init.rateLimit) response.rateLimit = init.rateLimit;
    return response;
  }

  private async settle(call: MutableCall, promise: Promise<LLMResponse>, signal: AbortSignal | undefined): Promise<LLMResponse> {
    try {
      const response = await promise;
      call.status = 'ok';
      call.response = response;
      return response;
    } catch (error) {
      this.fail(call, error, signal);
      throw error;
    }
  }

  private fail(call: MutableCall, error: unknown, signal: AbortSignal | undefined): void {
    if (signal?.aborted && error === abortReason(signal)) {
      call.status = 'aborted';
    } else {
      call.status = 'error';
    }
    call.error = error;
  }
}
