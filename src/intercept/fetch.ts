import { readUrl } from '../match/url.js';
import { currentScope, mainRealm, registry } from './registry.js';
import { normaliseHeaders } from './request-parts.js';
import { responseSink } from './response-sink.js';
import type { InterceptScope, OutgoingRequest, ResponseSink } from './types.js';

/**
 * A fast path for replays through global fetch. The dispatcher alone answers every request
 * correctly (and is the only path for clients that captured fetch before `cassettes` loaded),
 * but a fetch that goes through undici costs ~30× a Response built directly; a replayed request
 * made through the global fetch skips all of that. Anything else — recording, a miss, a body
 * that is a stream or FormData, a Request object — takes the ordinary path, unchanged.
 */
export function installFetchFastPath(): void {
  const reg = registry();
  if (reg.installed.fetch) return;
  reg.installed.fetch = true;
  const original = mainRealm.fetch;
  if (typeof original !== 'function') return;
  const fetch = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const scope = currentScope();
    if (scope?.replayOnly) {
      const answer = replayed(scope, input, init);
      if (answer) return answer;
    }
    return original.call(this, input, init);
  };
  mainRealm.fetch = fetch as typeof mainRealm.fetch;
}

const neverAborted = new AbortController().signal;

function replayed(scope: InterceptScope, input: RequestInfo | URL, init: RequestInit | undefined): Promise<Response> | undefined {
  if (typeof input !== 'string' && !(input instanceof mainRealm.URL) && !(input instanceof URL)) return undefined;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !ArrayBuffer.isView(body)) return undefined;
  let url: URL;
  try {
    url = readUrl(String(input));
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || scope.ignores(url)) return undefined;
  const signal = init?.signal ?? neverAborted;
  if (signal.aborted) return undefined;
  const request: OutgoingRequest = {
    method: (init?.method ?? 'GET').toUpperCase(),
    url: `${url.origin}${url.pathname}${url.search}`,
    headers: normaliseHeaders(init?.headers),
    body:
      body === undefined || body === null
        ? Buffer.alloc(0)
        : typeof body === 'string'
          ? Buffer.from(body)
          : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    signal,
    transport: 'fetch',
  };
  let settle!: { resolve: (r: Response) => void; reject: (e: unknown) => void };
  const answer = new Promise<Response>((resolve, reject) => (settle = { resolve, reject }));
  // @note an abort listener must go when the replay is over: SDKs may reuse one signal for many
  // calls, and listeners left behind make every later addEventListener slower (it scans them)
  const onAbort = (): void => sink.error(signal.reason as Error);
  const detach = (): void => signal.removeEventListener('abort', onAbort);
  // the errors undici's fetch raises: the signal's reason on abort, `fetch failed` before the
  // head, `terminated` after it
  const sink = responseSink(
    {
      respond: (response) => settle.resolve(response),
      fail: (error) => {
        detach();
        settle.reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
      },
      bodyError: (error) => {
        detach();
        return signal.aborted ? signal.reason : new TypeError('terminated', { cause: error });
      },
      drained: detach,
    },
    request.url,
  );
  const tracked: ResponseSink = {
    paced: true,
    head: (status, statusText, headers) => sink.head(status, statusText, headers),
    whole: (status, statusText, headers, body) => sink.whole(status, statusText, headers, body),
    data: (chunk) => sink.data(chunk),
    end: () => {
      detach();
      sink.end();
    },
    error: (error) => {
      detach();
      sink.error(error);
    },
  };
  if (init?.signal) signal.addEventListener('abort', onAbort, { once: true });
  if (!scope.replayOnly?.(request, tracked)) {
    detach();
    return undefined;
  }
  return answer;
}
