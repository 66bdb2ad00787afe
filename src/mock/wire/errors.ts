import { stableId } from './deterministic.js';
import { prettyJson, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import type { WireFailure } from './reply.js';
import type { WireResponse, WireTarget } from './types.js';

function openaiError(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

/** Anthropic error types by status (WIRE-FORMATS §2.4). */
function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** Google canonical codes by HTTP status (WIRE-FORMATS §3.6). */
function geminiStatus(status: number): string {
  const map: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    429: 'RESOURCE_EXHAUSTED',
    499: 'CANCELLED',
    500: 'INTERNAL',
    501: 'NOT_IMPLEMENTED',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return map[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/**
 * An error answer in the provider's own JSON and status. Errors are always plain JSON, also for
 * streaming requests: providers reject before they start a stream (WIRE-FORMATS §1.8, §3.6).
 */
export function buildErrorResponse(target: WireTarget, error: WireFailure, seed: string): WireResponse {
  if (error.malformed) return malformedResponse(target, seed);
  const { status, message } = error;
  const retryAfterS = error.retryAfterMs === undefined ? undefined : error.retryAfterMs / 1000;
  let body: unknown;
  let contentType = 'application/json';
  switch (target.provider) {
    case 'openai': {
      const { type, code } = openaiError(status);
      body = { error: { message, type, param: null, code } };
      break;
    }
    case 'anthropic':
      body = {
        type: 'error',
        error: { type: anthropicErrorType(status), message },
        request_id: `req_011C${stableId(`${seed}/request-id`, 20)}`,
      };
      break;
    case 'gemini': {
      contentType = 'application/json; charset=UTF-8';
      const details =
        status === 429 && retryAfterS !== undefined ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterS}s` }] : undefined;
      body = { error: { code: status, message, status: geminiStatus(status), ...(details ? { details } : {}) } };
      break;
    }
  }
  const headers = providerHeaders(target.provider, seed, contentType);
  if (retryAfterS !== undefined) {
    // @note `retry-after` holds whole seconds (RFC 9110); OpenAI and Anthropic also send the exact `retry-after-ms`.
    headers['retry-after'] = String(Math.ceil(retryAfterS));
    if (!Number.isInteger(retryAfterS) && target.provider !== 'gemini') headers['retry-after-ms'] = String(error.retryAfterMs);
  }
  const text = target.provider === 'anthropic' ? JSON.stringify(body) : prettyJson(body);
  return { status, headers, chunks: [{ data: utf8(text), delayMs: 0 }] };
}

/** The body of a `malformed` answer: a 200 whose JSON stops half-way, as a broken gateway sends it. */
export const MALFORMED_BODY = '{"id": "half a body", "choices": [';

function malformedResponse(target: WireTarget, seed: string): WireResponse {
  return { status: 200, headers: providerHeaders(target.provider, seed, 'application/json'), chunks: [{ data: utf8(MALFORMED_BODY), delayMs: 0 }] };
}
