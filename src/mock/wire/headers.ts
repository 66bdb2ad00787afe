import { stableHex, stableId } from './deterministic.js';
import type { WireProvider } from './types.js';

/** Response headers a provider sends on every answer, with deterministic ids (WIRE-FORMATS §1.9, §2.5, §3.7). */
export function providerHeaders(provider: WireProvider, seed: string, contentType: string): Record<string, string> {
  switch (provider) {
    case 'openai':
      return {
        'content-type': contentType,
        'x-request-id': `req_${stableHex(`${seed}/request-id`)}`,
        'openai-version': '2020-10-01',
        'openai-processing-ms': '1',
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-limit-tokens': '10000000',
        'x-ratelimit-remaining-requests': '9999',
        'x-ratelimit-remaining-tokens': '9999000',
        'x-ratelimit-reset-requests': '6ms',
        'x-ratelimit-reset-tokens': '0s',
      };
    case 'anthropic': {
      const reset = '2025-01-01T00:00:01Z';
      const headers: Record<string, string> = {
        'content-type': contentType,
        'request-id': `req_011C${stableId(`${seed}/request-id`, 20)}`,
        'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
      };
      for (const [kind, limit] of [
        ['requests', 4000],
        ['tokens', 2000000],
        ['input-tokens', 1600000],
        ['output-tokens', 400000],
      ] as const) {
        headers[`anthropic-ratelimit-${kind}-limit`] = String(limit);
        headers[`anthropic-ratelimit-${kind}-remaining`] = String(limit - 1);
        headers[`anthropic-ratelimit-${kind}-reset`] = reset;
      }
      return headers;
    }
    case 'gemini':
      return {
        'content-type': contentType,
        vary: 'Origin, X-Origin, Referer',
        'server-timing': 'gfet4t7; dur=1',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'x-xss-protection': '0',
      };
  }
}
