import { AsyncLocalStorage } from 'node:async_hooks';
import { asError, registry } from './registry.js';
import type { OutgoingRequest, ResponseSink } from './types.js';
import type { DispatcherLike } from './undici-types.js';

/**
 * Runs a function in the async context of this module's load, where no scope is active.
 * @note the real request leaves every async context behind, so nothing that routes by async
 * context (our bypass guard, or an interceptor that attributes sockets to the request being
 * handled, as @mswjs/interceptors 0.45 does) can mistake it for the app's own request and feed
 * a recording back into itself.
 */
const outsideEveryScope: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

/**
 * Headers that describe one hop's framing or connection, which undici computes for the bytes it
 * sends (and refuses to be given: `invalid transfer-encoding header`). A node:http body written
 * with `req.write()` arrives here with `transfer-encoding: chunked`, and whole.
 */
const HOP_BY_HOP = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'connection', 'proxy-connection', 'expect']);

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name)) continue;
    out ??= { ...headers };
    delete out[name];
  }
  return out ?? headers;
}

/** The real network, through the dispatcher that was installed before us. */
export function dispatchToNetwork(upstream: DispatcherLike, request: OutgoingRequest, sink: ResponseSink): void {
  const url = new URL(request.url);
  let abortConnection: ((reason?: Error) => void) | undefined;
  let paused: (() => void) | undefined;
  const onAbort = (): void => abortConnection?.(asError(request.signal.reason));
  request.signal.addEventListener('abort', onAbort, { once: true });
  const done = (): void => request.signal.removeEventListener('abort', onAbort);
  const reg = registry();
  reg.upstreamDepth++;
  try {
    outsideEveryScope(() =>
      upstream.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: forwardedHeaders(request.headers),
          body: request.body.length > 0 ? request.body : null,
        },
        {
          onConnect(abort) {
            abortConnection = abort;
            if (request.signal.aborted) abort(asError(request.signal.reason));
          },
          onHeaders(status, rawHeaders, resume, statusText) {
            if (status < 200) return true;
            paused = resume;
            const headers: [string, string][] = [];
            for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
              headers.push([rawHeaders[i]!.toString('latin1'), rawHeaders[i + 1]!.toString('latin1')]);
            }
            sink.head(status, statusText, headers);
            return true;
          },
          onData(chunk) {
            const pending = sink.data(Buffer.from(chunk));
            if (pending) {
              void pending.then(() => paused?.());
              return false;
            }
            return true;
          },
          onComplete() {
            done();
            sink.end();
          },
          onError(error) {
            done();
            sink.error(error);
          },
        },
      ),
    );
  } finally {
    reg.upstreamDepth--;
  }
}
