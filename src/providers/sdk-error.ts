import { abortReason } from '../protocol/abort.js';
import type { LLMErrorOptions } from '../protocol/errors.js';
import { isLLMError, LLMProviderUnavailableError, LLMRequestError, LLMResponseError, LLMTimeoutError, llmErrorFromStatus } from '../protocol/errors.js';
import type { HeadersLike } from './headers.js';
import { headerValue } from './headers.js';
import { parseDurationMs, parseRetryAfterMs } from './rate-limit-headers.js';
import { isRecord, recordAt, stringAt } from './read.js';

export interface SdkErrorContext {
  readonly provider: string;
  /** The caller's signal: when it has aborted, its reason is the answer, whatever the SDK threw. */
  readonly signal?: AbortSignal | undefined;
}

const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;
const TIMEOUT_CODES = /^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/;

function causeChainCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    const code = current.code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

/**
 * `name` plus every class name up the prototype chain.
 *
 * @note openai's error classes leave `name` at "Error"; only the constructor tells an
 * APIConnectionTimeoutError from an APIConnectionError. Both SDKs ship unminified, so
 * class names are stable.
 */
function classNames(error: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  if (typeof error.name === 'string') names.add(error.name);
  let proto: unknown = Object.getPrototypeOf(error);
  for (let depth = 0; depth < 8 && proto && proto !== Object.prototype; depth++) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== '') names.add(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/**
 * The provider's error object inside an SDK error: `error.error` (openai, anthropic), which for
 * anthropic wraps `{ type: 'error', error: { type, message } }`.
 */
function providerErrorBody(error: Record<string, unknown>): Record<string, unknown> | undefined {
  const body = recordAt(error, 'error');
  if (!body) return undefined;
  return recordAt(body, 'error') ?? body;
}

/** Gemini puts the JSON error body in the message; its RetryInfo carries `retryDelay: "34s"`. */
function geminiRetryDelayMs(message: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"([\d.]+s)"/.exec(message);
  return match ? parseDurationMs(match[1]) : undefined;
}

function errorKindFromType(type: string | undefined): number | undefined {
  // @note Errors that arrive inside a 200 stream carry no HTTP status, only the provider's type.
  switch (type) {
    case 'overloaded_error':
    case 'api_error':
    case 'server_error':
      return 503;
    case 'rate_limit_error':
    case 'rate_limit_exceeded':
    case 'insufficient_quota':
      return 429;
    case 'authentication_error':
    case 'invalid_api_key':
      return 401;
    case 'permission_error':
      return 403;
    case 'invalid_request_error':
      return 400;
    case 'not_found_error':
      return 404;
    case 'request_too_large':
      return 413;
    default:
      return undefined;
  }
}

/**
 * Maps whatever an SDK threw into the `LLMError` hierarchy. SDK classes are recognised by shape
 * (`status`, `headers`, `name`), never by `instanceof`, so no SDK is imported at run time and any
 * SDK version (or copy) works.
 */
export function toLLMError(error: unknown, context: SdkErrorContext): unknown {
  const { provider, signal } = context;
  if (signal?.aborted) return abortReason(signal);
  if (isLLMError(error)) return error;
  if (!isRecord(error)) {
    return new LLMProviderUnavailableError(`cassettes: ${provider} call failed: ${String(error)}`, { provider, cause: error });
  }

  const names = classNames(error);
  const message = typeof error.message === 'string' ? error.message : String(error);
  const headers =
    isRecord(error.headers) || typeof (error.headers as { get?: unknown } | undefined)?.get === 'function' ? (error.headers as HeadersLike) : undefined;
  const requestId =
    (typeof error.requestID === 'string' ? error.requestID : undefined) ?? headerValue(headers, 'x-request-id') ?? headerValue(headers, 'request-id');
  const base: LLMErrorOptions = { provider, requestId, cause: error };
  const text = `cassettes: ${provider}: ${message}`;

  if (names.has('AnthropicError') && error.status === undefined && message.startsWith('Streaming is required')) {
    // @note @anthropic-ai/sdk refuses, before sending, a non-streaming call whose max_tokens could
    // run past 10 minutes (above ~21 333 without a client `timeout`): the request, not the provider.
    return new LLMRequestError(`${text}\n  fix: use stream(), a smaller maxTokens, or set \`timeout\` on the Anthropic client`, {
      ...base,
      field: 'maxTokens',
      allowed: 'at most ~21 333 for a non-streaming call through @anthropic-ai/sdk without a client timeout',
    });
  }
  if (names.has('APIConnectionTimeoutError') || names.has('TimeoutError')) {
    return new LLMTimeoutError(text, base);
  }
  if (names.has('AbortError') || names.has('APIUserAbortError')) {
    // @note The caller's signal did not fire (checked above), so the SDK's own timer did:
    // @google/genai aborts its fetch on `httpOptions.timeout` without a reason.
    return new LLMTimeoutError(text, base);
  }

  const status = typeof error.status === 'number' ? error.status : undefined;
  const body = providerErrorBody(error);
  const effectiveStatus =
    status ??
    [stringAt(body, 'type'), stringAt(body, 'code'), stringAt(error, 'type'), stringAt(error, 'code')].map(errorKindFromType).find((s) => s !== undefined);
  if (effectiveStatus !== undefined && effectiveStatus >= 400) {
    const retryAfterMs = parseRetryAfterMs(headers) ?? geminiRetryDelayMs(message);
    // @note For an error inside a stream, `status` is the one its provider type stands for.
    return llmErrorFromStatus({ ...base, status: effectiveStatus, message: text, retryAfterMs });
  }

  const codes = causeChainCodes(error);
  if (codes.some((code) => TIMEOUT_CODES.test(code))) return new LLMTimeoutError(text, base);
  if (names.has('APIConnectionError') || codes.some((code) => CONNECTION_CODES.test(code)) || message === 'fetch failed') {
    return new LLMProviderUnavailableError(text, base);
  }
  if (names.has('SyntaxError') || /JSON|parse|Incomplete/i.test(message)) {
    return new LLMResponseError(text, base);
  }
  return new LLMProviderUnavailableError(text, base);
}

/** A shape check that failed on a successful HTTP answer. */
export function malformed(provider: string, what: string, raw: unknown, requestId?: string): LLMResponseError {
  return new LLMResponseError(`cassettes: ${provider} returned a malformed response: ${what}`, {
    provider,
    requestId,
    cause: raw,
  });
}
