/**
 * A user's own LLMProvider: a deterministic echo "service". It validates every request before
 * "sending" it, streams word by word, honours `signal`, and can be told to fail like a real
 * provider does (for the conformance suite's error-mapping checks).
 */

import type {
  HealthStatus,
  LLMCallOptions,
  LLMError,
  LLMFaultKind,
  LLMFinishReason,
  LLMProviderCore,
  LLMRequest,
  LLMResponse,
  LLMStreamEvent,
  LLMUsage,
} from 'cassettes/provider';
import {
  contentText,
  LLMAuthenticationError,
  LLMProviderUnavailableError,
  LLMRateLimitError,
  LLMRequestError,
  LLMResponseError,
  LLMTimeoutError,
  validateRequest,
} from 'cassettes/provider';

export type EchoFault = LLMFaultKind;

export interface EchoProviderOptions {
  /** Called once per request that goes "on the wire". */
  onNetwork?: () => void;
  /** Every call fails this way. */
  fault?: EchoFault;
  latencyMs?: number;
  chunkDelayMs?: number;
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

export class EchoProvider implements LLMProviderCore {
  readonly name = 'echo';
  readonly model = 'echo-1';
  readonly #options: EchoProviderOptions;

  constructor(options: EchoProviderOptions = {}) {
    this.#options = options;
  }

  /** Token accounting: one token per word. Subclasses may override (see the broken one). */
  protected usage(inputTokens: number, outputTokens: number): LLMUsage {
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  }

  #fail(): LLMError | undefined {
    const provider = this.name;
    switch (this.#options.fault) {
      case 'rate-limit':
        return new LLMRateLimitError('echo: slow down', { provider, status: 429, retryAfterMs: 1000 });
      case 'timeout':
        return new LLMTimeoutError('echo: timed out', { provider, status: 408 });
      case 'unavailable':
        return new LLMProviderUnavailableError('echo: down for maintenance', { provider, status: 503 });
      case 'malformed':
        return new LLMResponseError('echo: the answer was not JSON', { provider, status: 200 });
      case 'authentication':
        return new LLMAuthenticationError('echo: who are you?', { provider, status: 401 });
      case 'invalid-request':
        return new LLMRequestError('echo: the service refused the request', { provider, status: 400 });
      default:
        return undefined;
    }
  }

  /** Validates, checks the signal, "sends": what both complete() and stream() do first. */
  async #send(request: LLMRequest, signal: AbortSignal | undefined): Promise<{ words: string[]; answer: LLMResponse }> {
    validateRequest(request, { provider: this.name });
    signal?.throwIfAborted();
    this.#options.onNetwork?.();
    const started = Date.now();
    await sleep(this.#options.latencyMs ?? 5, signal);
    const failure = this.#fail();
    if (failure) throw failure;

    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
    const prompt = contentText(lastUser?.content);
    let content = `Echo: ${prompt}`;
    if (request.responseFormat?.type === 'json') content = JSON.stringify({ answer: prompt });
    let out = content.split(/(?<= )/);
    let finishReason: LLMFinishReason = 'stop';
    if (request.maxTokens !== undefined && out.length > request.maxTokens) {
      out = out.slice(0, request.maxTokens);
      finishReason = 'length';
    }
    const input = request.messages.reduce((n, m) => n + words(contentText(m.content as never)).length + 1, 0);
    const answer: LLMResponse = {
      content: out.join(''),
      toolCalls: [],
      finishReason,
      model: request.model ?? this.model,
      usage: this.usage(input, out.length),
      latencyMs: Date.now() - started,
      raw: { echoed: prompt },
    };
    return { words: out, answer };
  }

  async complete(request: LLMRequest, options: LLMCallOptions = {}): Promise<LLMResponse> {
    return (await this.#send(request, options.signal)).answer;
  }

  async *stream(request: LLMRequest, options: LLMCallOptions = {}): AsyncGenerator<LLMStreamEvent> {
    const { signal } = options;
    const { words: chunks, answer } = await this.#send(request, signal);
    for (const [i, text] of chunks.entries()) {
      if (i > 0) await sleep(this.#options.chunkDelayMs ?? 2, signal);
      yield { type: 'text-delta', text };
    }
    signal?.throwIfAborted();
    yield { type: 'finish', response: answer };
  }

  async healthCheck(): Promise<HealthStatus> {
    const started = Date.now();
    try {
      await this.complete({ messages: [{ role: 'user', content: 'ping' }], maxTokens: 4 });
      return { healthy: true, latencyMs: Date.now() - started };
    } catch (error) {
      return { healthy: false, latencyMs: Date.now() - started, error: String(error) };
    }
  }
}

/** A bug a conformance run must catch: usage totals that do not add up. */
export class BrokenUsageProvider extends EchoProvider {
  protected override usage(inputTokens: number, outputTokens: number): LLMUsage {
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + 1 };
  }
}
