import { asError } from './registry.js';
import { sinkContract } from './sink-contract.js';
import type { ResponseSink } from './types.js';
import type { DispatchHandler, HandlerController } from './undici-types.js';

/** A ResponseSink that drives an undici handler, in whichever API it speaks. */
export function handlerSink(handler: DispatchHandler, abort: AbortController): ResponseSink {
  let resumeWaiter: (() => void) | undefined;
  const resume = (): void => {
    const waiter = resumeWaiter;
    resumeWaiter = undefined;
    waiter?.();
  };
  const controller: HandlerController = {
    abort: (reason) => abort.abort(reason),
    pause: () => undefined,
    resume,
    get aborted() {
      return abort.signal.aborted;
    },
    get paused() {
      return false;
    },
    get reason() {
      return abort.signal.aborted ? asError(abort.signal.reason) : null;
    },
  };
  const modern = typeof handler.onResponseStart === 'function' && typeof handler.onHeaders !== 'function';
  if (modern) handler.onRequestStart?.(controller, {});
  else handler.onConnect?.((reason) => abort.abort(reason ?? new DOMException('The operation was aborted.', 'AbortError')));

  const sink = sinkContract<ResponseSink>({
    head(status, statusText, headers) {
      if (modern) {
        const record: Record<string, string | string[]> = {};
        for (const [name, value] of headers) {
          const key = name.toLowerCase();
          const existing = record[key];
          record[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
        }
        handler.onResponseStarted?.();
        handler.onResponseStart?.(controller, status, record, statusText);
        return;
      }
      const raw: Buffer[] = [];
      for (const [name, value] of headers) raw.push(Buffer.from(name), Buffer.from(value));
      handler.onResponseStarted?.();
      handler.onHeaders?.(status, raw, resume, statusText);
    },
    data(chunk) {
      if (modern) {
        handler.onResponseData?.(controller, chunk);
        return;
      }
      const more = handler.onData?.(chunk);
      if (more === false && !sink.ended) return new Promise<void>((r) => (resumeWaiter = r));
      return;
    },
    end() {
      if (modern) handler.onResponseEnd?.(controller, {});
      else handler.onComplete?.([]);
    },
    error(error) {
      if (modern) handler.onResponseError?.(controller, error);
      else handler.onError?.(error);
    },
  });

  // @note the caller aborting must end the replay at once, and undici expects onError after abort.
  abort.signal.addEventListener(
    'abort',
    () => {
      if (sink.ended) return;
      resume();
      sink.error(asError(abort.signal.reason));
    },
    { once: true },
  );
  return sink;
}

/** Fails a handler in the next microtask, as undici fails a request it cannot send. */
export function failHandler(handler: DispatchHandler, error: Error): void {
  const sink = handlerSink(handler, new AbortController());
  queueMicrotask(() => sink.error(error));
}
