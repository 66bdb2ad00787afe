import { failHandler, handlerSink } from './handler-sink.js';
import { dispatchToNetwork } from './network.js';
import { hostOfOrigin, outsideRefusal, refusalBody } from './outside.js';
import { asError, currentScope, mainRealm, registry, upstreamOf } from './registry.js';
import { bodyInMemory, normaliseHeaders, readBody, urlOf } from './request-parts.js';
import type { DispatcherLike, DispatchHandler, DispatchOptions } from './undici-types.js';

/**
 * Interception at undici's global dispatcher. Node's fetch (and the undici package's own
 * request/fetch) consult it on every call, so SDK clients built before `cassettes` was imported
 * — openai and anthropic capture `fetch` at construction — are still caught, and a request made
 * outside any cassette costs one property read and a function call.
 */

// @note undici ≤7 reads .1 (legacy); undici 7.x writes both, later majors read .2.
const DISPATCHER_SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];

const OURS = Symbol.for('cassettes.dispatcher');

function getGlobalDispatcher(realm: typeof globalThis = mainRealm): DispatcherLike | undefined {
  const holder = realm as unknown as Record<symbol, DispatcherLike | undefined>;
  for (const symbol of DISPATCHER_SYMBOLS) if (holder[symbol]) return holder[symbol];
  return undefined;
}

const isOurs = (dispatcher: DispatcherLike | undefined): boolean => (dispatcher as unknown as Record<symbol, unknown> | undefined)?.[OURS] === true;

function setGlobalDispatcher(realm: typeof globalThis, dispatcher: DispatcherLike): void {
  // @note the attributes undici's own setGlobalDispatcher uses, so that it can still replace ours
  for (const symbol of DISPATCHER_SYMBOLS) {
    Object.defineProperty(realm, symbol, { value: dispatcher, writable: true, enumerable: false, configurable: false });
  }
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
  if (!isOurs(current)) {
    const upstream: DispatcherLike | undefined = current;
    if (!upstream) throw new Error("cassettes: could not find undici's global dispatcher to wrap");
    const reg = registry();
    setGlobalDispatcher(mainRealm, createWrapper(upstream));
    reg.network = (request, sink) => dispatchToNetwork(upstream, request, sink);
    reg.installed.dispatcher = true;
  }
  if (globalThis !== mainRealm) installInRealm(globalThis);
}

/**
 * A realm of its own (a Jest test file's vm context, any vm context that loads cassettes) has its own global: a copy
 * of the undici package loaded there (@google/genai's dependency, the app's own `undici`) reads
 * and fills *that* realm's dispatcher symbol, and Node's fetch never looks at it. The realm gets a
 * dispatcher of ours too: in front of the one undici put there (so it stays the upstream outside
 * cassettes, as in a process without cassettes), or, when there is none yet, one that hands
 * everything to the main realm's (and undici, loaded later, then keeps it). Either way every
 * request made from the realm inside a cassette is routed to it (docs/discoveries/jest-realms.md).
 */
function installInRealm(realm: typeof globalThis): void {
  const current = getGlobalDispatcher(realm);
  if (isOurs(current)) return;
  const toMain: DispatcherLike = {
    dispatch: (options, handler) => getGlobalDispatcher()!.dispatch(options, handler),
  };
  try {
    setGlobalDispatcher(realm, current ? createWrapper(current) : Object.assign(toMain, { [OURS]: true }));
  } catch {
    // a realm whose symbol was made read-only: nothing we can do there, and the guard still stops
    // what it sends inside a cassette
  }
}

function createWrapper(upstream: DispatcherLike): DispatcherLike {
  const wrapper: DispatcherLike & Record<symbol, unknown> = {
    [OURS]: true,
    dispatch(options, handler) {
      const scope = currentScope();
      const reg = registry();
      if (reg.upstreamDepth > 0) return upstream.dispatch(options, handler);
      if (!scope) return outside(upstream, options, handler);
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

/** A request made outside any cassette: through, or refused (outside.ts). */
function outside(upstream: DispatcherLike, options: DispatchOptions, handler: DispatchHandler): boolean {
  const origin = typeof options.origin === 'string' ? options.origin : (options.origin?.origin ?? '');
  const host = hostOfOrigin(origin);
  const refusal = host
    ? outsideRefusal(
        options.method,
        host,
        () => urlOf(options),
        'fetch/undici',
        () => normaliseHeaders(options.headers),
      )
    : undefined;
  if (!refusal) {
    const reg = registry();
    // @note the guard then knows this one came through here
    reg.upstreamDepth++;
    try {
      return upstream.dispatch(options, handler);
    } finally {
      reg.upstreamDepth--;
    }
  }
  if (!refusal.respond) {
    failHandler(handler, refusal.error);
    return true;
  }
  const { headers, body } = refusalBody(refusal.error);
  const sink = handlerSink(handler, new AbortController());
  queueMicrotask(() => {
    sink.head(400, 'Bad Request', headers);
    void Promise.resolve(sink.data(body)).then(() => sink.end());
  });
  return true;
}
