import { mainRealm } from './registry.js';
import type { ResponseSink } from './types.js';

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export interface ResponseTarget {
  /** The head arrived: here is the Response whose body the sink goes on to fill. */
  respond(response: Response): void;
  /** Failed before any head. */
  fail(error: Error): void;
  /** What a failure after the head looks like to the body's reader. */
  bodyError?(error: Error): unknown;
}

/**
 * A sink that builds a Response with a pull-based body (highWaterMark 0): each chunk waits until
 * the reader asks for it, so chunk boundaries survive without waiting a turn of the event loop,
 * and an error raised after the last chunk cannot overtake it.
 */
export function responseSink(target: ResponseTarget, url?: string): ResponseSink & { readonly paced: true } {
  const { Response: RealmResponse, ReadableStream: RealmReadableStream, Headers: RealmHeaders } = mainRealm;
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  let pulled: (() => void) | undefined;
  let closed = false;
  const build = (body: ReadableStream<Uint8Array> | null, init: ResponseInit): Response => {
    const response = new RealmResponse(body, init);
    // @note fetch sets `url`; SDKs read it in logs and errors
    if (url) Object.defineProperty(response, 'url', { value: url });
    return response;
  };
  return {
    paced: true,
    head(status, statusText, headers) {
      const init = { status, statusText, headers: new RealmHeaders(headers) };
      if (NULL_BODY.has(status)) {
        closed = true;
        target.respond(build(null, init));
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
            closed = true;
            pulled?.();
          },
        },
        { highWaterMark: 0 },
      );
      target.respond(build(body, init));
    },
    data(chunk) {
      if (closed || !stream) return;
      stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((stream.desiredSize ?? 0) <= 0) return new Promise<void>((resolve) => (pulled = resolve));
      return;
    },
    end() {
      if (closed) return;
      closed = true;
      stream?.close();
    },
    error(error) {
      if (closed) return;
      closed = true;
      if (stream) stream.error(target.bodyError ? target.bodyError(error) : error);
      else target.fail(error);
    },
  };
}
