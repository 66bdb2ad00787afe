import { subscribe } from 'node:diagnostics_channel';
import { scrubMessage } from '../redact/message.js';
import { currentScope, registry } from './registry.js';

/**
 * The last line of defence: every undici request (Node's fetch and the undici package publish
 * on the same channel) that is created while a cassette is active but did not come through our
 * dispatcher — a client given its own Agent or ProxyAgent — is failed at once and reported, so
 * nothing reaches the network unnoticed.
 */
export function installBypassGuard(): void {
  const reg = registry();
  if (reg.installed.guard) return;
  reg.installed.guard = true;
  subscribe('undici:request:create', (message) => {
    if (registry().upstreamDepth > 0) return;
    const scope = currentScope();
    if (!scope) return;
    const request = (message as { request?: { origin?: unknown; path?: unknown; method?: unknown; abort?: (e: Error) => void; onError?: (e: Error) => void } })
      .request;
    if (!request) return;
    const origin = String(request.origin ?? '');
    let url: URL | undefined;
    try {
      url = new URL(`${origin}${String(request.path ?? '')}`);
    } catch {
      url = undefined;
    }
    if (url && scope.ignores(url)) return;
    const description = `${String(request.method)} ${origin}${String(request.path ?? '')} (through a dispatcher other than the global one)`;
    scope.bypassed(description);
    const error = new Error(scrubMessage(`cassettes: ${description} bypassed interception and was stopped; cassettes intercepts undici's global dispatcher`));
    (error as Error & { code?: string }).code = 'LLM_CASSETTE_BYPASS';
    try {
      if (typeof request.abort === 'function') request.abort(error);
      else request.onError?.(error);
    } catch {
      // the request is already failing; the cassette reports the bypass either way
    }
  });
}
