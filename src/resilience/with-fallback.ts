import { CassetteError } from '../errors.js';
import { abortReason, throwIfAborted } from '../protocol/abort.js';
import { isRetryableError, LLMProviderUnavailableError } from '../protocol/errors.js';
import type { HealthStatus, LLMCallOptions, LLMProvider, LLMProviderCore } from '../protocol/provider.js';
import { withProtocol } from '../protocol/provider-base.js';
import type { LLMRequest } from '../protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import { committed, openStream } from './attempts.js';

export interface FallbackEvent {
  /** The provider given up on. */
  readonly from: string;
  /** The provider tried next. */
  readonly to: string;
  /** Why: its retryable failure, or an `LLMProviderUnavailableError` when it was not available. */
  readonly error: unknown;
}

export interface FallbackOptions {
  /** Name of the combined provider (default `fallback(a, b, …)`). */
  readonly name?: string;
  /** Which failures move on to the next provider (default: rate limits, timeouts, unavailable). */
  readonly fallbackOn?: (error: unknown) => boolean;
  /** Called on each move from one provider to the next. */
  readonly onFallback?: (event: FallbackEvent) => void;
}

/**
 * Tries `providers` in order: skips those whose `isAvailable()` is false, moves on after a
 * retryable failure, and says which one answered (`response.provider` is its `name`). Other
 * failures (an invalid request, bad credentials) are thrown at once: the next provider would
 * fail the same way. A stream moves on only until its first event has reached the caller.
 */
export function withFallback(providers: readonly LLMProviderCore[], options: FallbackOptions = {}): LLMProvider {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', 'cassettes: withFallback needs at least one provider');
  }
  const chain = providers.map((provider) => withProtocol(provider));
  const primary = chain[0] as LLMProvider;
  const name = options.name ?? `fallback(${chain.map((p) => p.name).join(', ')})`;
  const fallbackOn = options.fallbackOn ?? ((error: unknown) => isRetryableError(error));

  /**
   * Runs `attempt` on each available provider in turn until one succeeds; `attempt` returning
   * normally ends the search.
   */
  async function firstThatAnswers<T>(signal: AbortSignal | undefined, attempt: (provider: LLMProvider) => Promise<T>): Promise<T> {
    const skipped: string[] = [];
    let lastError: unknown;
    for (const [i, provider] of chain.entries()) {
      throwIfAborted(signal);
      const next = chain[i + 1];
      const move = (error: unknown): void => {
        lastError = error;
        if (next) options.onFallback?.({ from: provider.name, to: next.name, error });
      };
      if (!(await provider.isAvailable())) {
        skipped.push(provider.name);
        move(
          new LLMProviderUnavailableError(`cassettes: ${provider.name} is not available (circuit open or failed health check)`, { provider: provider.name }),
        );
        continue;
      }
      try {
        return await attempt(provider);
      } catch (error) {
        if ((signal?.aborted && error === abortReason(signal)) || !fallbackOn(error) || !next) throw error;
        move(error);
      }
    }
    throw new LLMProviderUnavailableError(`cassettes: no provider of ${name} is available (${skipped.join(', ')} skipped as unavailable)`, {
      provider: name,
      cause: lastError,
    });
  }

  const named = (response: LLMResponse, provider: LLMProvider): LLMResponse => ({ ...response, provider: provider.name });

  async function complete(request: LLMRequest, callOptions: LLMCallOptions = {}): Promise<LLMResponse> {
    return firstThatAnswers(callOptions.signal, async (provider) => named(await provider.complete(request, callOptions), provider));
  }

  async function* stream(request: LLMRequest, callOptions: LLMCallOptions = {}): AsyncGenerator<LLMStreamEvent> {
    let answering: LLMProvider | undefined;
    const opened = await firstThatAnswers(callOptions.signal, async (provider) => {
      const result = await openStream(provider.stream(request, callOptions));
      answering = provider;
      return result;
    });
    const label = (event: LLMStreamEvent): LLMStreamEvent =>
      event.type === 'finish' && answering ? { type: 'finish', response: named(event.response, answering) } : event;
    yield* committed(opened, (error) => error, label);
  }

  async function healthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    const errors: string[] = [];
    for (const provider of chain) {
      const health = await provider.healthCheck();
      if (health.healthy) return health;
      errors.push(`${provider.name}: ${health.error ?? 'unhealthy'}`);
    }
    return { healthy: false, latencyMs: performance.now() - started, error: errors.join('; ') };
  }

  return withProtocol({
    name,
    model: primary.model,
    complete,
    stream,
    healthCheck,
    isAvailable: async () => {
      for (const provider of chain) if (await provider.isAvailable()) return true;
      return false;
    },
  });
}
