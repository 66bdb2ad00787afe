import { mainRealm } from './registry.js';
import { sinkContract } from './sink-contract.js';
import type { ResponseSink } from './types.js';

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export interface ResponseTarget {
  /** The head arrived: here is the Response whose body the sink goes on to fill. */
  respond(response: Response): void;
  /** Failed before any head. */
  fail(error: Error): void;
  /** What a failure after the head looks like to the body's reader. */
  bodyError?(error: Error): unknown;
  /** A whole body was read to its end (or cancelled): nothing more can happen to it. */
  drained?(): void;
}

/**
 * A sink that builds a Response with a pull-based body (highWaterMark 0): each chunk waits until
 * the reader asks for it, so chunk boundaries survive without waiting a turn of the event loop,
 * and an error raised after the last chunk cannot overtake it.
 */
export function responseSink(target: ResponseTarget, url?: string): ResponseSink & { readonly paced: true; whole: NonNullable<ResponseSink['whole']> } {
  const { Response: RealmResponse, ReadableStream: RealmReadableStream } = mainRealm;
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  let pulled: (() => void) | undefined;
  /** A head or a whole response went to the target: a later failure belongs to the body. */
  let responded = false;
  /** The reader cancelled the body: nothing more goes into it. */
  let cancelled = false;
  /** A whole body, enqueued at once and closed, that an abort may still error. */
  let queued: ReadableStreamDefaultController<Uint8Array> | undefined;
  const build = (body: ReadableStream<Uint8Array> | Uint8Array | null, init: ResponseInit): Response => {
    const response = new RealmResponse(body as BodyInit | null, init);
    // @note fetch sets `url`; SDKs read it in logs and errors
    if (url) Object.defineProperty(response, 'url', { value: url });
    return response;
  };
  /**
   * Hands the Response over; one that cannot be built (a status or header fetch refuses) fails the
   * request instead, so the caller never waits for an answer that will not come.
   */
  const respond = (body: ReadableStream<Uint8Array> | null, init: ResponseInit): void => {
    try {
      target.respond(build(body, init));
    } catch (error) {
      stream = undefined;
      queued = undefined;
      target.fail(error as Error);
    }
  };
  return sinkContract({
    paced: true,
    whole(status, statusText, headers, body) {
      responded = true;
      const init = { status, statusText, headers };
      const chunks = Array.isArray(body) ? body : [body];
      if (NULL_BODY.has(status) || chunks.every((chunk) => chunk.length === 0)) {
        respond(null, init);
        target.drained?.();
        return;
      }
      const whole = new RealmReadableStream<Uint8Array>({
        // a web stream keeps each enqueued chunk a read of its own: all of them go in at once
        start(c) {
          // plain Uint8Arrays, as fetch hands out (a Buffer is rewrapped)
          for (const chunk of chunks) c.enqueue(chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          // until it is read to the end, an abort may still error the body, as fetch does
          queued = c;
        },
        // called once the queue is empty: everything was read
        pull(c) {
          queued = undefined;
          c.close();
          target.drained?.();
        },
        cancel() {
          queued = undefined;
          target.drained?.();
        },
      });
      respond(whole, init);
    },
    head(status, statusText, headers) {
      const init = { status, statusText, headers };
      responded = true;
      if (NULL_BODY.has(status)) {
        respond(null, init);
        return;
      }
      const body = new RealmReadableStream<Uint8Array>(
        {
          start(c) {
            stream = c;
          },
          pull() {
            const resolve = pulled;
            pulled = undefined;
            resolve?.();
          },
          cancel() {
            cancelled = true;
            pulled?.();
          },
        },
        { highWaterMark: 0 },
      );
      respond(body, init);
    },
    data(chunk) {
      if (cancelled || !stream) return;
      stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((stream.desiredSize ?? 0) <= 0) return new Promise<void>((resolve) => (pulled = resolve));
      return;
    },
    end() {
      if (!cancelled) stream?.close();
    },
    error(error) {
      if (queued) {
        const controller = queued;
        queued = undefined;
        controller.error(target.bodyError ? target.bodyError(error) : error);
        return;
      }
      if (stream) {
        if (!cancelled) stream.error(target.bodyError ? target.bodyError(error) : error);
      } else if (!responded) target.fail(error);
    },
  });
}
