import { failHandler, handlerSink } from './handler-sink.js';
import { dispatchToNetwork } from './network.js';
import { asError, currentScope, mainRealm, registry, upstreamOf } from './registry.js';
import { bodyInMemory, normaliseHeaders, readBody, urlOf } from './request-parts.js';
import type { DispatcherLike } from './undici-types.js';

/**
 * Interception at undici's global dispatcher. Node's fetch (and the undici package's own
 * request/fetch) consult it on every call, so SDK clients built before `cassettes` was imported
 * — openai and anthropic capture `fetch` at construction — are still caught, and a request made
 * outside any cassette costs one property read and a function call.
 */

// @note undici ≤7 reads .1 (legacy); undici 7.x writes both, later majors read .2.
const DISPATCHER_SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];

const OURS = Symbol.for('cassettes.dispatcher');

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
