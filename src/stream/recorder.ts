import type { Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { sinkContract } from '../intercept/sink-contract.js';
import type { ResponseSink } from '../intercept/types.js';
import type { StoredNetworkError } from '../types.js';
import { now } from './clock.js';

export interface CapturedChunk {
  atMs: number;
  data: Buffer;
}

/** Everything one recorded exchange produced, before it becomes YAML. */
export interface Capture {
  status?: number;
  statusText?: string;
  headers?: [string, string][];
  contentEncoding?: string;
  headersAtMs?: number;
  /** Decoded body, chunk by chunk as it arrived. */
  chunks: CapturedChunk[];
  bytes: number;
  tooLarge: boolean;
  end?: { state: 'completed'; atMs: number } | { state: 'aborted'; atMs: number } | { state: 'failed'; atMs: number; error: StoredNetworkError };
  /** Failed before any response arrived. */
  requestError?: StoredNetworkError & { atMs: number };
}

/**
 * Tees a response: every chunk goes on to the app at once (the first byte is never held back),
 * and a decoded copy is kept for the cassette. The network is never paced by the app: an app
 * that stops reading still leaves a complete recording.
 */
export function recordingSink(
  target: ResponseSink,
  options: { startedAt: number; maxBodyBytes: number; signal: AbortSignal },
): { sink: ResponseSink; done: Promise<Capture> } {
  const capture: Capture = { chunks: [], bytes: 0, tooLarge: false };
  const elapsed = (): number => Math.round((now() - options.startedAt) * 10) / 10;
  let decoder: Transform | undefined;
  let lastArrival = 0;
  let resolveDone!: (capture: Capture) => void;
  const done = new Promise<Capture>((resolve) => (resolveDone = resolve));
  const forward = forwarder(target);

  const keep = (data: Buffer, atMs: number): void => {
    if (capture.tooLarge) return;
    capture.bytes += data.length;
    if (capture.bytes > options.maxBodyBytes) {
      // @note never truncate silently: drop what was kept and let the session fail the recording.
      capture.tooLarge = true;
      capture.chunks = [];
      return;
    }
    capture.chunks.push({ atMs, data });
  };

  const finish = async (end: NonNullable<Capture['end']>): Promise<void> => {
    if (decoder) {
      const d = decoder;
      await new Promise<void>((resolve) => {
        d.once('end', resolve);
        d.once('error', () => resolve());
        d.end();
      });
    }
    capture.end = end;
    resolveDone(capture);
  };

  const sink = sinkContract<ResponseSink>({
    head(status, statusText, headers) {
      capture.status = status;
      capture.statusText = statusText;
      capture.headersAtMs = elapsed();
      capture.headers = headers;
      const encoding = headers
        .find(([name]) => name.toLowerCase() === 'content-encoding')?.[1]
        .trim()
        .toLowerCase();
      if (encoding && encoding !== 'identity') {
        capture.contentEncoding = encoding;
        decoder = createDecoder(encoding);
        decoder?.on('data', (data: Buffer) => keep(data, lastArrival));
        decoder?.on('error', () => undefined);
      }
      forward.head(status, statusText, headers);
    },
    data(chunk) {
      forward.data(chunk);
      lastArrival = elapsed();
      if (decoder) decoder.write(chunk);
      else keep(chunk, lastArrival);
    },
    end() {
      forward.end();
      void finish({ state: 'completed', atMs: elapsed() });
    },
    error(error) {
      // @note read before forwarding: undici's fetch reacts to the error synchronously by
      // terminating, which aborts the signal, and a reset would then be stored as an abort.
      const abortedByApp = options.signal.aborted;
      forward.error(error);
      const atMs = elapsed();
      const stored = storedError(error);
      if (capture.status === undefined) {
        capture.requestError = { ...stored, atMs };
        void finish({ state: 'failed', atMs, error: stored });
      } else if (abortedByApp) {
        void finish({ state: 'aborted', atMs });
      } else {
        void finish({ state: 'failed', atMs, error: stored });
      }
    },
  });

  return { sink, done };
}

function createDecoder(encoding: string): Transform | undefined {
  // @note the same lenient flush modes undici uses, so a body fetch accepts we can decode too.
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    return createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
  }
  if (encoding === 'deflate') return createInflate({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
  if (encoding === 'br') {
    return createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH });
  }
  return undefined;
}

export function storedError(error: Error): StoredNetworkError {
  // fetch wraps the interesting error: keep the innermost one that has a code
  let inner: unknown = error;
  while (inner && typeof inner === 'object' && !(inner as { code?: unknown }).code && (inner as { cause?: unknown }).cause) {
    inner = (inner as { cause?: unknown }).cause;
  }
  const e = (inner && typeof inner === 'object' ? inner : error) as Error & { code?: unknown };
  return { name: e.name || 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message };
}

/** Passes events to the app in order, queueing while the app applies backpressure. */
function forwarder(target: ResponseSink): ResponseSink {
  const queue: (() => void | Promise<void>)[] = [];
  let draining = false;
  const drain = async (): Promise<void> => {
    draining = true;
    while (queue.length > 0) {
      const next = queue.shift()!;
      await next();
    }
    draining = false;
  };
  const push = (step: () => void | Promise<void>): void => {
    if (!draining && queue.length === 0) {
      const pending = step();
      if (pending) {
        draining = true;
        void pending.then(drain, drain);
      }
      return;
    }
    queue.push(step);
    if (!draining) void drain();
  };
  return {
    head: (status, statusText, headers) => push(() => target.head(status, statusText, headers)),
    data: (chunk) => push(() => target.data(chunk)),
    end: () => push(() => target.end()),
    error: (error) => push(() => target.error(error)),
  };
}
