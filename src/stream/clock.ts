import { performance } from 'node:perf_hooks';
import { clearTimeout as realClearTimeout, setImmediate as realSetImmediate, setTimeout as realSetTimeout } from 'node:timers';

// @note captured at load: vi.useFakeTimers() / jest.useFakeTimers() replace the globals later,
// and a replay must run on the real clock — neither hang nor fire instantly by accident.
const realNow = performance.now.bind(performance);

export function now(): number {
  return realNow();
}

/** Resolves after `ms` of real time, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      realClearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = realSetTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** One turn of the event loop: lets a consumer read the previous chunk before the next arrives. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
