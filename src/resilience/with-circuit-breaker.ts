import { abortReason } from '../protocol/abort.js';
import { isRetryableError, LLMProviderUnavailableError } from '../protocol/errors.js';
import type { LLMCallOptions, LLMProvider, LLMProviderCore } from '../protocol/provider.js';
import { withProtocol } from '../protocol/provider-base.js';
import type { LLMRequest } from '../protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import { checkOption } from './attempts.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit (default 5). */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe call may go through (default 30 000 ms). */
  readonly cooldownMs?: number;
  /** Called on every change of state. */
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
  /** The clock (default `Date.now`). */
  readonly now?: () => number;
}

/** What ended a call, as the breaker counts it. */
type Outcome = 'success' | 'failure' | 'neutral';

/**
 * `provider` behind a circuit breaker: after `failureThreshold` consecutive retryable failures
 * (rate limits, timeouts, unavailable) the circuit opens and calls fail at once with
 * `LLMProviderUnavailableError`, without touching the network; `isAvailable()` is false. After
 * `cooldownMs` one probe call goes through (half-open): its success closes the circuit, its
 * failure opens it again. Other failures (a 400, bad credentials) show the provider answering:
 * they end a run of failures like a success does.
 */
export function withCircuitBreaker(provider: LLMProviderCore, options: CircuitBreakerOptions = {}): LLMProvider {
  const where = 'withCircuitBreaker';
  checkOption(options.failureThreshold, 'failureThreshold', where, (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1');
  checkOption(options.cooldownMs, 'cooldownMs', where, (n) => n >= 0, 'a number ≥ 0');
  const inner = withProtocol(provider);
  const threshold = options.failureThreshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  let lastError: unknown;

  const moveTo = (next: CircuitState): void => {
    if (next === state) return;
    const previous = state;
    state = next;
    options.onStateChange?.(next, previous);
  };

  /** Lets a call through (`true` when it is the half-open probe), or throws the open-circuit error. */
  const admit = (): boolean => {
    if (state === 'open' && now() - openedAt >= cooldownMs) moveTo('half-open');
    if (state === 'closed') return false;
    if (state === 'half-open' && !probing) {
      probing = true;
      return true;
    }
    const waitMs = Math.max(0, cooldownMs - (now() - openedAt));
    throw new LLMProviderUnavailableError(
      state === 'open'
        ? `cassettes: the circuit for ${inner.name} is open after ${threshold} consecutive failures; calls fail at once for another ${Math.ceil(waitMs)} ms`
        : `cassettes: the circuit for ${inner.name} is half-open and its one probe call is still running`,
      { provider: inner.name, cause: lastError },
    );
  };

  const settle = (outcome: Outcome, probe: boolean): void => {
    if (probe) probing = false;
    if (outcome === 'neutral') return;
    if (outcome === 'success') {
      failures = 0;
      moveTo('closed');
      return;
    }
    failures++;
    if (probe || failures >= threshold) {
      openedAt = now();
      moveTo('open');
    }
  };

  const outcomeOf = (error: unknown, signal: AbortSignal | undefined): Outcome => {
    if (signal?.aborted && error === abortReason(signal)) return 'neutral';
    if (!isRetryableError(error)) return 'success';
    lastError = error;
    return 'failure';
  };

  async function complete(request: LLMRequest, callOptions: LLMCallOptions = {}): Promise<LLMResponse> {
    const probe = admit();
    try {
      const response = await inner.complete(request, callOptions);
      settle('success', probe);
      return response;
    } catch (error) {
      settle(outcomeOf(error, callOptions.signal), probe);
      throw error;
    }
  }

  async function* stream(request: LLMRequest, callOptions: LLMCallOptions = {}): AsyncGenerator<LLMStreamEvent> {
    const probe = admit();
    let outcome: Outcome = 'neutral';
    try {
      for await (const event of inner.stream(request, callOptions)) {
        if (event.type === 'finish') outcome = 'success';
        yield event;
      }
    } catch (error) {
      outcome = outcomeOf(error, callOptions.signal);
      throw error;
    } finally {
      // a stream abandoned before its finish counts for nothing
      settle(outcome, probe);
    }
  }

  return withProtocol({
    name: inner.name,
    model: inner.model,
    complete,
    stream,
    healthCheck: () => inner.healthCheck(),
    isAvailable: async () => {
      if (state === 'open' && now() - openedAt < cooldownMs) return false;
      return inner.isAvailable();
    },
  });
}
