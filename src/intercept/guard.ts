import { subscribe } from 'node:diagnostics_channel';
import { CassetteError } from '../errors.js';
import { stopConnectionTo } from './connect-trap.js';
import { hostOfOrigin, outsideRefusal, shownUrl } from './outside.js';
import { currentScope, registry } from './registry.js';

interface UndiciRequest {
  origin?: unknown;
  path?: unknown;
  method?: unknown;
  onError?: (e: Error) => void;
}

/**
 * The last line of defence: every undici request (Node's fetch and the undici package publish on
 * the same channel) that did not come through our dispatcher — a client given its own Agent, Pool,
 * Client or ProxyAgent, an SDK's `fetchOptions.dispatcher` — is failed as it is created, and its
 * connection stopped before a socket opens (connect-trap.ts): inside a cassette always (reported
 * as LLM_CASSETTE_BYPASS), outside one where a request through the global dispatcher would be
 * refused too (outside.ts).
 */
export function installBypassGuard(): void {
  const reg = registry();
  if (reg.installed.guard) return;
  reg.installed.guard = true;
  subscribe('undici:request:create', (message) => {
    if (registry().upstreamDepth > 0) return;
    const request = (message as { request?: UndiciRequest }).request;
    if (!request) return;
    const origin = String(request.origin ?? '').replace(/\/$/, '');
    const method = String(request.method);
    // @note a proxy's CONNECT has the tunnel's authority as its path
    const path = String(request.path ?? '').startsWith('/') ? String(request.path) : '';
    const host = hostOfOrigin(origin);
    const scope = currentScope();
    let error: Error;
    if (scope) {
      let url: URL | undefined;
      try {
        url = new URL(`${origin}${path}`);
      } catch {
        url = undefined;
      }
      if (url && scope.ignores(url)) return;
      const description = `${method} ${shownUrl(`${origin}${path}`)} (through a dispatcher other than the global one)`;
      scope.bypassed(description);
      error = new CassetteError(
        'LLM_CASSETTE_BYPASS',
        `cassettes: ${description} bypassed interception and was stopped before it connected; cassettes intercepts undici's global dispatcher`,
      );
    } else {
      if (!host) return;
      const refusal = outsideRefusal(method, host, `${origin}${path}`, 'own undici dispatcher');
      if (!refusal) return;
      error = refusal.error;
    }
    if (host) stopConnectionTo(host.hostname, error);
    try {
      request.onError?.(error);
    } catch {
      // the request is already failing; the cassette reports the bypass either way
    }
  });
}
