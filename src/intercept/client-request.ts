import { subscribe } from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { outsideRefusal, refusalBody } from './outside.js';
import { asError, currentScope, mainRealm, registry, upstreamOf } from './registry.js';
import { responseSink } from './response-sink.js';
import type { InterceptScope, OutgoingRequest, ResponseSink } from './types.js';

/**
 * node:http / node:https (axios, got, older SDKs) through @mswjs/interceptors, the right tool
 * for ClientRequest. Its listener runs in the socket's async context, and its `initiator` is the
 * first request of a keep-alive socket, so neither can say which cassette a request belongs to.
 * The scope is taken when the ClientRequest is created (a diagnostics channel that fires
 * synchronously in the caller's context) and claimed by the first interception event with the
 * same method, host and path.
 */
interface Pending {
  key: string;
  scope: InterceptScope;
}
const pending: Pending[] = [];

interface ClientRequestLike {
  method?: string;
  host?: string;
  path?: string;
  once?(event: string, listener: (value?: unknown) => void): void;
}

/**
 * @note the interceptors' MockHttpSocket has no `_handle`, and net.Socket#_read on a socket
 * without one waits for a 'connect' that never comes again: every read of a paused reader
 * (`for await (const chunk of res)`) left one more listener, and a stream of eleven chunks printed
 * Node's MaxListenersExceededWarning. The mock socket is fed by push() alone (a mocked response,
 * or the real socket's data in passthrough), so its _read has nothing to do.
 */
function quietMockSocket(socket: unknown): void {
  if ((socket as { constructor?: { name?: string } } | undefined)?.constructor?.name !== 'MockHttpSocket') return;
  (socket as { _read: () => void })._read = () => undefined;
}

function keyOf(method: string, host: string, path: string): string {
  return `${method.toUpperCase()} ${host.toLowerCase()} ${path}`;
}

/** The interceptors' own undo for their Headers patch, if it is in place. */
function restoreHeadersPatch(headers: typeof Headers): (() => void) | undefined {
  for (const symbol of Object.getOwnPropertySymbols(headers)) {
    if (symbol.description !== 'kRestorePatches') continue;
    const restore: unknown = Reflect.get(headers, symbol);
    if (typeof restore === 'function') return restore as () => void;
  }
  return undefined;
}

export function installClientRequest(): void {
  const reg = registry();
  if (reg.installed.clientRequest) return;
  reg.installed.clientRequest = true;

  subscribe('http.client.request.created', (message) => {
    const scope = currentScope();
    const request = (message as { request?: ClientRequestLike }).request;
    if (!request) return;
    request.once?.('socket', quietMockSocket);
    if (!scope) return;
    const entry: Pending = { key: keyOf(request.method ?? 'GET', request.host ?? '', request.path ?? '/'), scope };
    pending.push(entry);
    // a request that never reaches the interceptor (aborted early) must not leave its entry behind
    request.once?.('close', () => {
      const index = pending.indexOf(entry);
      if (index >= 0) pending.splice(index, 1);
    });
  });

  const interceptor = new ClientRequestInterceptor();
  const alreadyPatched = restoreHeadersPatch(globalThis.Headers) !== undefined;
  interceptor.apply();
  // @note apply() also swaps the global Headers, Request and Response for Proxies that record
  // raw header-name casing (used only to echo a mocked response's header case on a socket).
  // That made every `new Headers()` / `new Response(…, { headers })` in the process — the
  // app's, the SDKs', each replay's — build its headers twice, ~25% of a replay. cassettes
  // stores header names lower-cased anyway, so the patch buys nothing here: undo it, unless
  // another copy of the interceptors (a user's msw, nock) had already put it there.
  if (!alreadyPatched) restoreHeadersPatch(globalThis.Headers)?.();
  // @note the interceptor patches http.request on the CommonJS object; ESM code that did
  // `import { request } from 'node:http'` holds a live binding that only this updates.
  syncBuiltinESMExports();
  interceptor.on('request', async ({ request, controller }) => {
    const url = new URL(request.url);
    const index = pending.findIndex((p) => p.key === keyOf(request.method, url.hostname, `${url.pathname}${url.search}`));
    const scope = index >= 0 ? pending.splice(index, 1)[0]!.scope : undefined;
    if (!scope) {
      const refusal = outsideRefusal(request.method, { hostname: url.hostname, port: url.port }, request.url, 'node:http', () =>
        Object.fromEntries(request.headers),
      );
      if (!refusal) return;
      if (!refusal.respond) {
        controller.errorWith(refusal.error);
        return;
      }
      const { headers, body } = refusalBody(refusal.error);
      controller.respondWith(new mainRealm.Response(new Uint8Array(body), { status: 400, statusText: 'Bad Request', headers }));
      return;
    }
    if (scope.ignores(url)) return;
    const body = Buffer.from(await request.arrayBuffer());
    const outgoing: OutgoingRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body,
      signal: request.signal,
      transport: 'http',
    };
    await new Promise<void>((resolve) => {
      const sink = responseSink({
        respond(response) {
          controller.respondWith(response);
          resolve();
        },
        fail(error) {
          controller.errorWith(error);
          resolve();
        },
      });
      // @note neither paced nor whole: the interceptor pushes each chunk it reads into the socket
      // at once, and a node:http reader that is not flowing (an async iterator) gets every chunk
      // pushed in one turn as one read. One chunk per turn keeps a replay's chunk boundaries.
      const chunked: ResponseSink = {
        head: (status, statusText, headers) => sink.head(status, statusText, headers),
        data: (chunk) => sink.data(chunk),
        end: () => sink.end(),
        error: (error) => sink.error(error),
      };
      scope.handle(outgoing, chunked, upstreamOf(scope)).catch((error: unknown) => sink.error(asError(error)));
    });
  });
}
