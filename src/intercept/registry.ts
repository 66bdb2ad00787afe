import { AsyncLocalStorage } from 'node:async_hooks';
import { runInThisContext } from 'node:vm';
import type { RecordMode } from '../types.js';
import { type HostMatcher, hostMatcher, PROVIDER_HOSTS } from './provider-hosts.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from './types.js';

/**
 * The process-wide state. It lives on the main realm's global under a Symbol.for key because
 * Jest gives every test file a fresh module registry AND its own vm context (own globalThis),
 * while Node's fetch and node:http are shared by the whole worker.
 */
export interface Registry {
  als: AsyncLocalStorage<InterceptScope>;
  /** Sends a request to the real network, bypassing every scope. */
  network: Upstream | undefined;
  installed: { dispatcher: boolean; clientRequest: boolean; guard: boolean; fetch: boolean; connectTrap?: boolean; http2?: boolean };
  /** >0 while our own upstream dispatch runs (so the bypass guard ignores it). */
  upstreamDepth: number;
  blockOutsideScopes: boolean;
  /**
   * Hosts refused outside any cassette in a replay-only run (`configure({ providerHosts })`).
   * @note here, not in the realm's configure() store: the code that applies it (the dispatcher,
   * the guards) may belong to another realm's copy of the package (Jest).
   */
  providerHosts?: HostMatcher;
  /** `configure({ mode })`, for requests outside any cassette (same reason). */
  configuredMode?: RecordMode | undefined;
  /** LLM_CASSETTE_DEBUG, as last read (outside.ts). */
  debugOutside?: boolean;
}

const KEY = Symbol.for('cassettes.registry.v1');

/** The realm that owns Node's fetch and undici's global dispatcher. */
export const mainRealm: typeof globalThis = runInThisContext('globalThis') as typeof globalThis;

export function registry(): Registry {
  const holder = mainRealm as unknown as Record<symbol, Registry | undefined>;
  let found = holder[KEY];
  if (!found) {
    found = {
      als: new AsyncLocalStorage<InterceptScope>(),
      network: undefined,
      installed: { dispatcher: false, clientRequest: false, guard: false, fetch: false },
      upstreamDepth: 0,
      blockOutsideScopes: false,
      providerHosts: hostMatcher(PROVIDER_HOSTS),
    };
    Object.defineProperty(holder, KEY, { value: found, enumerable: false, configurable: true, writable: false });
  }
  return found;
}

export function currentScope(): InterceptScope | undefined {
  return registry().als.getStore();
}

/** Upstream of a scope: the enclosing scope, or the network. */
export function upstreamOf(scope: InterceptScope): Upstream {
  const parent = scope.parent;
  if (parent) {
    return (request: OutgoingRequest, sink: ResponseSink) => {
      if (parent.ignores(new URL(request.url))) return networkUpstream()(request, sink);
      void parent.handle(request, sink, upstreamOf(parent)).catch((error: unknown) => sink.error(asError(error)));
    };
  }
  return networkUpstream();
}

/** The real network, bypassing every scope. */
export function networkUpstream(): Upstream {
  const network = registry().network;
  if (!network) throw new Error('cassettes: interception is not installed (no network upstream)');
  return network;
}

export function asError(value: unknown): Error {
  return typeof value === 'object' && value !== null && 'message' in value ? (value as Error) : new Error(String(value));
}
