import { AsyncLocalStorage } from 'node:async_hooks';
import { asError, currentScope, mainRealm, registry, upstreamOf } from './registry.js';
import type { OutgoingRequest, ResponseSink } from './types.js';

/**
 * Interception at undici's global dispatcher. Node's fetch (and the undici package's own
 * request/fetch) consult it on every call, so SDK clients built before `cassettes` was imported
 * — openai and anthropic capture `fetch` at construction — are still caught, and a request made
 * outside any cassette costs one property read and a function call.
 */

// @note undici ≤7 reads .1 (legacy); undici 7.x writes both, later majors read .2.
const DISPATCHER_SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];

/** The duck-typed slice of undici's Dispatcher that fetch and undici.request use. */
export interface DispatcherLike {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
  close?(...args: unknown[]): unknown;
  destroy?(...args: unknown[]): unknown;
}

export interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: unknown;
  body?: unknown;
  [key: string]: unknown;
}

/** undici's handler: the legacy callbacks (undici ≤7, Node 22/24 fetch) or the controller API. */
export interface DispatchHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void;
  onHeaders?(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: Buffer[] | null): void;
  onError?(error: Error): void;
  onResponseStarted?(): void;
  onRequestStart?(controller: HandlerController, context: unknown): void;
  onResponseStart?(controller: HandlerController, status: number, headers: Record<string, string | string[]>, statusText: string): void;
  onResponseData?(controller: HandlerController, chunk: Buffer): void;
  onResponseEnd?(controller: HandlerController, trailers: Record<string, string>): void;
  onResponseError?(controller: HandlerController, error: Error): void;
}

interface HandlerController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly reason: Error | null;
}

const OURS = Symbol.for('cassettes.dispatcher');

/**
 * Runs a function in the async context of this module's load, where no scope is active.
 * @note the real request leaves every async context behind, so nothing that routes by async
 * context (our bypass guard, or an interceptor that attributes sockets to the request being
 * handled, as @mswjs/interceptors 0.45 does) can mistake it for the app's own request and feed
 * a recording back into itself.
 */
const outsideEveryScope: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

function getGlobalDispatcher(): DispatcherLike | undefined {
  const holder = mainRealm as unknown as Record<symbol, DispatcherLike | undefined>;
  for (const symbol of DISPATCHER_SYMBOLS) if (holder[symbol]) return holder[symbol];
  return undefined;
}

function ensureUndiciLoaded(): void {
  // @note Node loads its bundled undici lazily; touching a fetch global makes it create the
  // default Agent, which becomes our upstream.
  if (!getGlobalDispatcher()) void new mainRealm.Headers();
}

/**
 * Puts our dispatcher in front of whatever is installed now. Safe to call again: when a user has
 * since called setGlobalDispatcher(), theirs becomes our new upstream.
 */
export function installDispatcher(): void {
  ensureUndiciLoaded();
  const current = getGlobalDispatcher();
  if (current && (current as unknown as Record<symbol, unknown>)[OURS]) return;
  const upstream: DispatcherLike | undefined = current;
  if (!upstream) throw new Error("cassettes: could not find undici's global dispatcher to wrap");
  const reg = registry();
  const wrapper = createWrapper(upstream);
  for (const symbol of DISPATCHER_SYMBOLS) {
    Object.defineProperty(mainRealm, symbol, { value: wrapper, writable: true, enumerable: false, configurable: false });
  }
  reg.network = (request, sink) => dispatchToNetwork(upstream, request, sink);
  reg.installed.dispatcher = true;
}

function createWrapper(upstream: DispatcherLike): DispatcherLike {
  const wrapper: DispatcherLike & Record<symbol, unknown> = {
    [OURS]: true,
    dispatch(options, handler) {
      const scope = currentScope();
      const reg = registry();
      if (reg.upstreamDepth > 0) return upstream.dispatch(options, handler);
      if (!scope) {
        if (reg.blockOutsideScopes) {
          failHandler(handler, new Error(`cassettes: network blocked outside a cassette: ${options.method} ${urlOf(options)}`));
          return true;
        }
        return upstream.dispatch(options, handler);
      }
      const url = urlOf(options);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return upstream.dispatch(options, handler);
      }
      if (scope.ignores(parsed)) return upstream.dispatch(options, handler);
      const abort = new AbortController();
      const sink = handlerSink(handler, abort);
      const handle = (body: Buffer): Promise<void> =>
        scope.handle(
          { method: options.method.toUpperCase(), url, headers: normaliseHeaders(options.headers), body, signal: abort.signal, transport: 'fetch' },
          sink,
          upstreamOf(scope),
        );
      // a body already in memory (fetch's usual case) is handled in this turn: a recording's
      // request then leaves as soon as it would have without cassettes
      const inMemory = bodyInMemory(options.body);
      const handled = inMemory ? handle(inMemory) : readBody(options.body).then(handle);
      handled.catch((error: unknown) => sink.error(asError(error)));
      return true;
    },
    close(...args: unknown[]) {
      return upstream.close?.(...args);
    },
    destroy(...args: unknown[]) {
      return upstream.destroy?.(...args);
    },
  };
  return wrapper;
}

function urlOf(options: DispatchOptions): string {
  const origin = typeof options.origin === 'string' ? options.origin : (options.origin?.origin ?? '');
  return `${origin.replace(/\/$/, '')}${options.path}`;
}

/** A ResponseSink that drives an undici handler, in whichever API it speaks. */
function handlerSink(handler: DispatchHandler, abort: AbortController): ResponseSink {
  let finished = false;
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

  // @note the caller aborting must end the replay at once, and undici expects onError after abort.
  abort.signal.addEventListener(
    'abort',
    () => {
      if (finished) return;
      finished = true;
      resume();
      const reason = asError(abort.signal.reason);
      if (modern) handler.onResponseError?.(controller, reason);
      else handler.onError?.(reason);
    },
    { once: true },
  );

  return {
    head(status, statusText, headers) {
      if (finished) return;
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
      if (finished) return;
      if (modern) {
        handler.onResponseData?.(controller, chunk);
        return;
      }
      const more = handler.onData?.(chunk);
      if (more === false && !finished) return new Promise<void>((r) => (resumeWaiter = r));
      return;
    },
    end() {
      if (finished) return;
      finished = true;
      if (modern) handler.onResponseEnd?.(controller, {});
      else handler.onComplete?.([]);
    },
    error(error) {
      if (finished) return;
      finished = true;
      if (modern) handler.onResponseError?.(controller, error);
      else handler.onError?.(error);
    },
  };
}

function failHandler(handler: DispatchHandler, error: Error): void {
  const sink = handlerSink(handler, new AbortController());
  queueMicrotask(() => sink.error(error));
}

/** The real network, through the dispatcher that was installed before us. */
function dispatchToNetwork(upstream: DispatcherLike, request: OutgoingRequest, sink: ResponseSink): void {
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
          headers: request.headers,
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

export function normaliseHeaders(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (value === undefined || value === null) return;
    const key = String(name).toLowerCase();
    const text = Array.isArray(value) ? value.map(String).join(', ') : Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  };
  if (!input) return out;
  if (Array.isArray(input)) {
    if (input.length > 0 && Array.isArray(input[0])) for (const [n, v] of input as [unknown, unknown][]) add(n, v);
    else for (let i = 0; i + 1 < input.length; i += 2) add(input[i], input[i + 1]);
    return out;
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [n, v] of input as Iterable<[unknown, unknown]>) add(n, v);
    return out;
  }
  for (const [n, v] of Object.entries(input as Record<string, unknown>)) add(n, v);
  return out;
}

function bodyInMemory(body: unknown): Buffer | undefined {
  if (body === null || body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') return Buffer.from(body as ArrayBuffer);
  return undefined;
}

async function readBody(body: unknown): Promise<Buffer> {
  const inMemory = bodyInMemory(body);
  if (inMemory) return inMemory;
  const parts: Buffer[] = [];
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const part of body as AsyncIterable<unknown>) parts.push(toBuffer(part));
    return Buffer.concat(parts);
  }
  if (typeof (body as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const part of body as Iterable<unknown>) parts.push(toBuffer(part));
    return Buffer.concat(parts);
  }
  throw new TypeError(`cassettes: cannot read a request body of type ${Object.prototype.toString.call(body)}`);
}

function toBuffer(part: unknown): Buffer {
  if (typeof part === 'string') return Buffer.from(part);
  if (ArrayBuffer.isView(part)) return Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return Buffer.from(String(part));
}
