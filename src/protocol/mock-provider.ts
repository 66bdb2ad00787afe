import { CassetteError } from '../errors.js';
import { abortableDelay, abortReason, raceAbort, throwIfAborted } from './abort.js';
import type { LLMFaultKind } from './faults.js';
import { faultError } from './faults.js';
import type { MockReplies, MockReply } from './mock-reply.js';
import { defaultMockReply } from './mock-reply.js';
import type { MockCallContext } from './mock-response.js';
import { chunkDelayOf, mockResponse, streamDeltas } from './mock-response.js';
import type { HealthStatus, LLMCallOptions } from './provider.js';
import { LLMProviderBase } from './provider-base.js';
import type { LLMRequest } from './request.js';
import { contentText } from './request.js';
import type { LLMResponse, LLMStreamEvent } from './response.js';
import { validateRequest } from './validate-request.js';

export interface InjectFaultOptions {
  /** How many upcoming calls fail this way (default 1; `Infinity`: every call). */
  readonly times?: number;
  /** `retryAfterMs` of an injected rate-limit error (default 1000). */
  readonly retryAfterMs?: number;
}

export interface MockLLMCall {
  /** 0-based, in the order the calls were made (not the order they finished). */
  readonly index: number;
  readonly method: 'complete' | 'stream';
  /** A structured clone of the request as it was when the call was made. */
  readonly request: LLMRequest;
  readonly status: 'pending' | 'ok' | 'error' | 'aborted';
  readonly fault?: LLMFaultKind;
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
  readonly replies?: MockReplies;
  /** Time before the answer (complete) or the first chunk (stream). Default 0. */
  readonly latencyMs?: number;
  /** Characters per streamed text delta (and per tool-argument fragment). Default 8. */
  readonly chunkSize?: number;
  /** Delay between streamed chunks. Default 0. */
  readonly chunkDelayMs?: number;
  /** The largest `maxTokens` accepted (default 32 768), like a real model's output limit. */
  readonly maxOutputTokens?: number;
  /** What `healthCheck()` reports. Default `{ healthy: true }`. */
  readonly health?: Omit<HealthStatus, 'latencyMs'> | (() => HealthStatus | Promise<HealthStatus>);
  /**
   * Called synchronously for every call that passed validation — the moment a real provider
   * would touch the network. Invalid requests never reach it.
   */
  readonly onCall?: (call: MockLLMCall) => void;
}

interface FaultEntry {
  kind: LLMFaultKind;
  remaining: number;
  retryAfterMs: number;
}

type MutableCall = { -readonly [K in keyof MockLLMCall]: MockLLMCall[K] };

function lastUserText(request: LLMRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === 'user') return contentText(message.content);
  }
  return '';
}

/**
 * A scripted, deterministic `LLMProvider` for tests: replies in call order, streams them in
 * chunks, logs every call, and fails on demand.
 */
export class MockLLMProvider extends LLMProviderBase {
  readonly name: string;
  readonly model: string;
  readonly #options: MockLLMProviderOptions;
  readonly #calls: MutableCall[] = [];
  readonly #faults: FaultEntry[] = [];
  #replyCursor = 0;
  #health: MockLLMProviderOptions['health'];

  /** Always answers `text`. */
  static fixed(text: string, options: MockLLMProviderOptions = {}): MockLLMProvider {
    return new MockLLMProvider({ ...options, replies: [text] });
  }

  /** Answers `replies` in call order; the last one repeats. */
  static sequence(replies: readonly MockReply[], options: MockLLMProviderOptions = {}): MockLLMProvider {
    if (replies.length === 0) throw new CassetteError('LLM_CASSETTE_OPTIONS', 'cassettes: MockLLMProvider.sequence needs at least one reply');
    return new MockLLMProvider({ ...options, replies });
  }

  /** Answers with the text of the last user message. */
  static echo(options: MockLLMProviderOptions = {}): MockLLMProvider {
    return new MockLLMProvider({ ...options, replies: (request) => lastUserText(request) });
  }

  /** Fails every call (or the first `times`) with `kind`; later calls answer as `options.replies` says. */
  static failing(kind: LLMFaultKind, fault: InjectFaultOptions = {}, options: MockLLMProviderOptions = {}): MockLLMProvider {
    return new MockLLMProvider(options).injectFault(kind, { times: Number.POSITIVE_INFINITY, ...fault });
  }

  /**
   * Calls the tool `name` with `args`; a request that answers a tool result gets `then` (by
   * default an acknowledgement of the result).
   */
  static toolCalling(name: string, args: Readonly<Record<string, unknown>> = {}, then?: MockReply, options: MockLLMProviderOptions = {}): MockLLMProvider {
    return new MockLLMProvider({
      ...options,
      replies: (request) => {
        const answeringTool = request.messages[request.messages.length - 1]?.role === 'tool';
        if (!answeringTool) return { toolCalls: [{ name, arguments: args }] };
        return then ?? defaultMockReply(request);
      },
    });
  }

  /** Takes `latencyMs` before it answers and `chunkDelayMs` between streamed chunks. */
  static slow(timing: { readonly latencyMs?: number; readonly chunkDelayMs?: number }, options: MockLLMProviderOptions = {}): MockLLMProvider {
    return new MockLLMProvider({ ...options, ...timing });
  }

  constructor(options: MockLLMProviderOptions = {}) {
    super();
    this.name = options.name ?? 'mock';
    this.model = options.model ?? 'mock-model';
    this.#options = options;
    this.#health = options.health;
  }

  /** Every call that passed validation, in call order. */
  get calls(): readonly MockLLMCall[] {
    return this.#calls;
  }

  /** How many calls passed validation (faulted and aborted ones included). */
  get callCount(): number {
    return this.#calls.length;
  }

  /** Makes the next `times` calls fail with `kind` instead of answering. Faults do not use up replies. */
  injectFault(kind: LLMFaultKind, options: InjectFaultOptions = {}): this {
    const times = options.times ?? 1;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1))) {
      throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: injectFault times must be a positive integer or Infinity (got ${String(times)})`);
    }
    this.#faults.push({ kind, remaining: times, retryAfterMs: options.retryAfterMs ?? 1000 });
    return this;
  }

  setHealth(health: MockLLMProviderOptions['health']): void {
    this.#health = health;
  }

  /** Forgets calls, pending faults, the position in the reply list and the usage totals. */
  reset(): void {
    this.#calls.length = 0;
    this.#faults.length = 0;
    this.#replyCursor = 0;
    this.resetTokenUsage();
  }

  protected async doHealthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    const health = this.#health;
    if (typeof health === 'function') return health();
    const latencyMs = performance.now() - started;
    if (!health) return { healthy: true, latencyMs };
    return health.error === undefined ? { healthy: health.healthy, latencyMs } : { healthy: health.healthy, latencyMs, error: health.error };
  }

  protected doComplete(request: LLMRequest, options: LLMCallOptions): Promise<LLMResponse> {
    const { call, answer } = this.start('complete', request, options.signal);
    const run = async (): Promise<LLMResponse> => {
      await abortableDelay(this.#options.latencyMs ?? 0, options.signal);
      const { response } = await answer;
      throwIfAborted(options.signal);
      return response;
    };
    return this.settle(call, raceAbort(run(), options.signal), options.signal);
  }

  protected doStream(request: LLMRequest, options: LLMCallOptions): AsyncIterable<LLMStreamEvent> {
    // @note Validation and call bookkeeping happen on the first pull, like a real stream
    // that only sends its request when iterated.
    return { [Symbol.asyncIterator]: () => this.streamEvents(request, options.signal) };
  }

  private async *streamEvents(request: LLMRequest, signal: AbortSignal | undefined): AsyncGenerator<LLMStreamEvent> {
    const { call, answer } = this.start('stream', request, signal);
    const emitted: LLMStreamEvent[] = [];
    try {
      await abortableDelay(this.#options.latencyMs ?? 0, signal);
      const { response, chunkDelayMs } = await raceAbort(answer, signal);
      for (const [i, event] of streamDeltas(response, this.#options.chunkSize ?? 8).entries()) {
        if (i > 0) await abortableDelay(chunkDelayMs, signal);
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
  private start(
    method: MockLLMCall['method'],
    request: LLMRequest,
    signal: AbortSignal | undefined,
  ): { call: MutableCall; answer: Promise<{ response: LLMResponse; chunkDelayMs: number }> } {
    validateRequest(request, {
      provider: this.name,
      ...(this.#options.maxOutputTokens === undefined ? {} : { maxOutputTokens: this.#options.maxOutputTokens }),
    });
    throwIfAborted(signal);
    const call: MutableCall = { index: this.#calls.length, method, request: structuredClone(request) as LLMRequest, status: 'pending' };
    this.#calls.push(call);
    const context: MockCallContext = { provider: this.name, model: this.model, index: call.index, latencyMs: this.#options.latencyMs ?? 0 };
    const fault = this.takeFault();
    let answer: Promise<{ response: LLMResponse; chunkDelayMs: number }>;
    if (fault) {
      call.fault = fault.kind;
      const message = `cassettes: injected fault '${fault.kind}' on MockLLMProvider call #${call.index}`;
      answer = Promise.reject(faultError(fault.kind, { provider: this.name, requestId: `mock-req-${call.index}`, retryAfterMs: fault.retryAfterMs, message }));
    } else {
      const replyIndex = this.#replyCursor++;
      answer = this.resolveReply(request, replyIndex).then((reply) => ({
        response: mockResponse(request, reply, context),
        chunkDelayMs: chunkDelayOf(reply, this.#options.chunkDelayMs ?? 0),
      }));
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

  private async resolveReply(request: LLMRequest, index: number): Promise<MockReply> {
    const replies = this.#options.replies;
    if (replies === undefined) return defaultMockReply(request);
    if (typeof replies === 'function') return replies(request, { index });
    if (replies.length === 0) return defaultMockReply(request);
    return replies[Math.min(index, replies.length - 1)] as MockReply;
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
    call.status = signal?.aborted && error === abortReason(signal) ? 'aborted' : 'error';
    call.error = error;
  }
}
