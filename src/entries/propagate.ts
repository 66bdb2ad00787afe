/**
 * `node --import cassettes/propagate app.js`: a Node app server joins the test's cassettes
 * session with no code change. An inbound request that carries a session (the
 * `x-cassette-session` header, or the `cassettes-session` cookie `cassettes/playwright` sets on
 * the browser) runs in an async context that knows it, and every outbound call made in that
 * context to the cassettes server carries it on, through the interceptors the package already
 * has (fetch, undici, node:http).
 */
import http from 'node:http';
import https from 'node:https';
import { installInterception } from '../intercept/install.js';
import { registry } from '../intercept/registry.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from '../intercept/types.js';
import { CASSETTES_URL_ENV, SESSION_COOKIE, SESSION_HEADER } from '../serve/constants.js';

export { SESSION_COOKIE, SESSION_HEADER };

/** Where the session header goes: the server's own origin and those of the base URLs pointed at it. */
const TARGET_ENV = [CASSETTES_URL_ENV, 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'GOOGLE_GEMINI_BASE_URL'] as const;
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

let targetsMemo: { key: string; origins: Set<string> } | undefined;

/** Origins read from the environment when a request needs them (an app may set them after start). */
function targetOrigins(): Set<string> {
  const values = TARGET_ENV.map((name) => process.env[name] ?? '');
  const key = values.join('\n');
  if (targetsMemo?.key === key) return targetsMemo.origins;
  const origins = new Set<string>();
  for (const value of values) {
    try {
      if (value) origins.add(new URL(value).origin);
    } catch {
      // not a URL: nothing to add
    }
  }
  targetsMemo = { key, origins };
  return origins;
}

/**
 * Routes an app's outbound calls while it handles one inbound request: calls to the cassettes
 * server get the session header, everything else is left alone.
 */
class PropagatingScope implements InterceptScope {
  readonly parent = undefined;
  constructor(readonly id: string) {}

  ignores(url: URL): boolean {
    return !targetOrigins().has(url.origin);
  }

  async handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void> {
    upstream({ ...request, headers: { ...request.headers, [SESSION_HEADER]: this.id } }, sink);
  }

  bypassed(): void {
    // the interceptor stops such a request and says why; there is no cassette here to report to
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The session an inbound request carries: the header, else the cookie. */
export function sessionOfRequest(req: http.IncomingMessage): string | undefined {
  const direct = header(req, SESSION_HEADER)?.trim();
  if (direct && SESSION_ID.test(direct)) return direct;
  const cookies = header(req, 'cookie');
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    let value = part.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // left as it is
    }
    if (SESSION_ID.test(value)) return value;
  }
  return undefined;
}

/** Runs `fn` with the calls it makes to the cassettes server attributed to session `id` (work outside an inbound request: a queue, a job). */
export function runWithSession<T>(id: string, fn: () => T): T {
  installInterception();
  return registry().als.run(new PropagatingScope(id), fn);
}

const PATCHED = Symbol.for('cassettes.propagate');

/**
 * @note on the servers' prototypes, so a server created before or after this module loaded, by
 * any framework on node:http (Express, Next.js, Fastify, Remix), is covered. Its handler runs in
 * the session's async context, and so does everything it awaits.
 */
function patch(proto: { emit: (event: string | symbol, ...args: unknown[]) => boolean } & Record<symbol, unknown>): void {
  if (proto[PATCHED]) return;
  const original = proto.emit;
  proto.emit = function emit(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const id = sessionOfRequest(args[0] as http.IncomingMessage);
      if (id) return registry().als.run(new PropagatingScope(id), () => original.call(this, event, ...args));
    }
    return original.call(this, event, ...args);
  };
  Object.defineProperty(proto, PATCHED, { value: true });
}

installInterception();
patch(http.Server.prototype as unknown as Parameters<typeof patch>[0]);
patch(https.Server.prototype as unknown as Parameters<typeof patch>[0]);
