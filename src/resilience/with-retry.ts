import { isLLMError, isRetryableError } from '../protocol/errors.js';
import type { LLMCallOptions, LLMProvider, LLMProviderCore } from '../protocol/provider.js';
import { withProtocol } from '../protocol/provider-base.js';
import type { LLMRequest } from '../protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import type { Sleep } from './attempts.js';
import { checkOption, committed, openStream, waitBeforeRetry, withAttempts } from './attempts.js';

export interface RetryEvent {
  readonly provider: string;
  /** The failure that is retried. */
  readonly error: unknown;
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  /** The delay chosen: the provider's `retryAfterMs`, else exponential backoff with jitter. */
  readonly delayMs: number;
}

export interface RetryOptions {
  /** Attempts after the first (default 3). */
  readonly retries?: number;
  /** The first backoff delay (default 500 ms). */
  readonly minDelayMs?: number;
  /** The longest backoff delay (default 30 000 ms); a provider's `retryAfterMs` is honoured as it is. */
  readonly maxDelayMs?: number;
  /** Growth of the delay per attempt (default 2). */
  readonly factor?: number;
  /** Randomise each delay between half and all of it (default true), so clients do not retry in step. */
  readonly jitter?: boolean;
  /** Which failures to retry (default: rate limits, timeouts, unavailable providers). */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait. */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * How to wait (`sleep(ms, signal)`). By default the real clock — except inside a cassette that
   * replays with `instant` timing, where the attempts are on tape and the waits are skipped
   * (with `recorded` timing they are kept).
   */
  readonly sleep?: Sleep;
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, error: unknown, options: RetryOptions, random: () => number = Math.random): number {
  if (isLLMError(error, 'LLM_RATE_LIMIT') && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const base = Math.min(options.maxDelayMs ?? 30_000, (options.minDelayMs ?? 500) * (options.factor ?? 2) ** (attempt - 1));
  return options.jitter === false ? base : base / 2 + (random() * base) / 2;
}

/**
 * `provider` with failed calls tried again: rate limits, timeouts and unavailable providers by
 * default (never authentication, invalid-request or malformed-response errors), after an
 * exponential backoff with jitter or the wait the provider asked for. A stream is retried only
 * until its first event has reached the caller. The last error is thrown with `attempts` on it.
 */
export function withRetry(provider: LLMProviderCore, options: RetryOptions = {}): LLMProvider {
  const where = 'withRetry';
  checkOption(options.retries, 'retries', where, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0');
  checkOption(options.minDelayMs, 'minDelayMs', where, (n) => n >= 0 && Number.isFinite(n), 'a number ≥ 0');
  checkOption(options.maxDelayMs, 'maxDelayMs', where, (n) => n >= 0, 'a number ≥ 0');
  checkOption(options.factor, 'factor', where, (n) => n >= 1 && Number.isFinite(n), 'a number ≥ 1');
  const inner = withProtocol(provider);
  const retries = options.retries ?? 3;
  const retryOn = options.retryOn ?? ((error: unknown) => isRetryableError(error));

  /** Whether to try again after `error`; waits first when so. */
  const again = async (error: unknown, attempt: number, signal: AbortSignal | undefined): Promise<boolean> => {
    if (signal?.aborted || attempt > retries || !retryOn(error, attempt)) return false;
    const delayMs = backoffDelay(attempt, error, options);
    options.onRetry?.({ provider: inner.name, error, attempt, delayMs });
    await waitBeforeRetry(delayMs, signal, options.sleep);
    return true;
  };

  async function complete(request: LLMRequest, callOptions: LLMCallOptions = {}): Promise<LLMResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inner.complete(request, callOptions);
      } catch (error) {
        if (!(await again(error, attempt, callOptions.signal))) throw withAttempts(error, attempt, callOptions.signal);
      }
    }
  }

  async function* stream(request: LLMRequest, callOptions: LLMCallOptions = {}): AsyncGenerator<LLMStreamEvent> {
    for (let attempt = 1; ; attempt++) {
      let opened: Awaited<ReturnType<typeof openStream>>;
      try {
        opened = await openStream(inner.stream(request, callOptions));
      } catch (error) {
        if (await again(error, attempt, callOptions.signal)) continue;
        throw withAttempts(error, attempt, callOptions.signal);
      }
      yield* committed(opened, (error) => withAttempts(error, attempt, callOptions.signal));
      return;
    }
  }

  return withProtocol({
    name: inner.name,
    model: inner.model,
    complete,
    stream,
    healthCheck: () => inner.healthCheck(),
    isAvailable: () => inner.isAvailable(),
  });
}
