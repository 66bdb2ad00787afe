import http2 from 'node:http2';
import { syncBuiltinESMExports } from 'node:module';
import { Duplex } from 'node:stream';
import { CassetteError } from '../errors.js';
import { outsideRefusal, shownUrl } from './outside.js';
import { currentScope, registry } from './registry.js';

/**
 * node:http2 is not recorded: no provider SDK speaks it (gRPC clients do), and @mswjs/interceptors
 * does not see it. So it is stopped, loudly and before any socket opens, wherever a request through
 * fetch would not leave either: inside a cassette (LLM_CASSETTE_BYPASS, unless its host is in
 * ignoreHosts), and outside one where the outside policy refuses it (outside.ts). Sessions opened
 * elsewhere are still checked per request.
 */
const FIX = 'cassettes does not record HTTP/2 (node:http2): make the call over HTTP/1.1 (fetch, undici, node:https), or list its host in ignoreHosts';

/** Why a request (or a session) to `url` may not go out now; undefined lets it. */
function stopped(method: string, url: URL, what: string): Error | undefined {
  const scope = currentScope();
  if (!scope) return outsideRefusal(method, { hostname: url.hostname, port: url.port }, url.href, what)?.error;
  if (scope.ignores(url)) return undefined;
  const description = `${method} ${shownUrl(url.href)} (${what})`;
  scope.bypassed(description, FIX);
  return new CassetteError('LLM_CASSETTE_BYPASS', `cassettes: ${description} was stopped before it connected\n  fix:      ${FIX}`);
}

function authorityUrl(authority: unknown): URL | undefined {
  try {
    if (authority instanceof URL) return authority;
    if (typeof authority === 'string') return new URL(authority);
    const parts = authority as { protocol?: string; host?: string; hostname?: string; port?: number | string };
    return new URL(`${parts.protocol ?? 'https:'}//${parts.host ?? parts.hostname ?? 'localhost'}${parts.port ? `:${parts.port}` : ''}`);
  } catch {
    return undefined;
  }
}

type Connect = typeof http2.connect;
type Session = ReturnType<Connect>;

/** Each request of a session is checked when it is made (the session may predate the cassette). */
function guardRequests(session: Session, origin: URL): Session {
  const request = session.request;
  session.request = function guardedRequest(this: Session, headers?: http2.OutgoingHttpHeaders, options?: http2.ClientSessionRequestOptions) {
    const method = String(headers?.[':method'] ?? 'GET');
    const url = new URL(String(headers?.[':path'] ?? '/'), origin);
    const error = stopped(method, url, 'node:http2');
    if (error) throw error;
    return request.call(this, headers, options);
  } as Session['request'];
  return session;
}

/** A session that never opens a socket: it fails with `error` as soon as it can. */
function failedSession(original: Connect, self: unknown, authority: unknown, options: object, listener: unknown, error: Error): Session {
  const nowhere = (): Duplex => new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
  const session = (original as (...args: unknown[]) => Session).call(self, authority, { ...options, createConnection: nowhere }, listener);
  // a request on it throws our error at once (rather than Node's ERR_HTTP2_INVALID_SESSION)
  session.request = (() => {
    throw error;
  }) as Session['request'];
  session.destroy(error);
  return session;
}

export function installHttp2Guard(): void {
  const reg = registry();
  if (reg.installed.http2) return;
  reg.installed.http2 = true;
  const original = http2.connect;
  const connect = function connect(this: unknown, authority: unknown, ...rest: unknown[]): Session {
    const [options, listener] = typeof rest[0] === 'function' ? [{}, rest[0]] : [(rest[0] ?? {}) as object, rest[1]];
    const origin = authorityUrl(authority);
    const error = origin ? stopped('CONNECT', origin, 'a node:http2 session') : undefined;
    if (error) return failedSession(original, this, authority, options, listener, error);
    const session = (original as (...args: unknown[]) => Session).call(this, authority, ...rest);
    return origin ? guardRequests(session, origin) : session;
  };
  http2.connect = connect as Connect;
  syncBuiltinESMExports();
}
