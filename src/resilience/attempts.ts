import { CassetteError } from '../errors.js';
import { abortableDelay, abortReason, raceAbort } from '../protocol/abort.js';
import type { LLMStreamEvent } from '../protocol/response.js';
import { waitScale } from './replay-waits.js';

/** Waits `ms`, or rejects with the signal's reason the moment it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Puts the number of attempts made on an error that leaves a wrapper (never on an abort reason). */
export function withAttempts(error: unknown, attempts: number, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted && error === abortReason(signal)) return error;
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, 'attempts', { value: attempts, enumerable: true, configurable: true, writable: true });
  }
  return error;
}

/**
 * Waits before the next attempt: with `sleep` when the caller gave one, otherwise on the real
 * clock scaled by the active cassette (an instant replay does not wait at all).
 * @returns the time actually waited for (before any abort).
 */
export async function waitBeforeRetry(delayMs: number, signal: AbortSignal | undefined, sleep: Sleep | undefined): Promise<number> {
  if (sleep) {
    await raceAbort(sleep(delayMs, signal), signal);
    return delayMs;
  }
  const waitMs = delayMs * waitScale();
  await abortableDelay(waitMs, signal);
  return waitMs;
}

export function checkOption(value: number | undefined, name: string, where: string, valid: (n: number) => boolean, allowed: string): void {
  if (value !== undefined && !(typeof value === 'number' && valid(value))) {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: ${where} option \`${name}\` must be ${allowed} (got ${String(value)})`);
  }
}

/**
 * One attempt at a stream: the first event (or the failure before it). Once the first event has
 * reached the caller, a stream is committed to this attempt.
 */
export async function openStream(
  source: AsyncIterable<LLMStreamEvent>,
): Promise<{ iterator: AsyncIterator<LLMStreamEvent>; first: IteratorResult<LLMStreamEvent> }> {
  const iterator = source[Symbol.asyncIterator]();
  return { iterator, first: await iterator.next() };
}

/**
 * A committed stream from its first step on; the inner one is closed if the caller stops early.
 * `onError` may replace a later failure (to add the attempt count, say).
 */
export async function* committed(
  { iterator, first }: { iterator: AsyncIterator<LLMStreamEvent>; first: IteratorResult<LLMStreamEvent> },
  onError: (error: unknown) => unknown,
  label: (event: LLMStreamEvent) => LLMStreamEvent = (event) => event,
): AsyncGenerator<LLMStreamEvent> {
  let finished = first.done === true;
  try {
    if (first.done) return;
    yield label(first.value);
    while (true) {
      let step: IteratorResult<LLMStreamEvent>;
      try {
        step = await iterator.next();
      } catch (error) {
        finished = true;
        throw onError(error);
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield label(step.value);
    }
  } finally {
    // @note not awaited: a stuck inner stream must not keep the caller waiting (as the adapters do)
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
