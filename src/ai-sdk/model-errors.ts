import { abortReason } from '../protocol/abort.js';
import { isLLMError, LLMAuthenticationError, LLMProviderUnavailableError, LLMResponseError, llmErrorFromStatus } from '../protocol/errors.js';
import { parseRetryAfterMs } from '../providers/rate-limit-headers.js';
import { toLLMError } from '../providers/sdk-error.js';

interface AISDKErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly statusCode?: unknown;
  readonly responseHeaders?: unknown;
  readonly isRetryable?: unknown;
}

// @note AI SDK errors are recognised by their `name` (`AI_APICallError`…), never by instanceof:
// the user's `@ai-sdk/provider` is not ours to import.
const MALFORMED = new Set([
  'AI_JSONParseError',
  'AI_TypeValidationError',
  'AI_InvalidResponseDataError',
  'AI_EmptyResponseBodyError',
  'AI_NoContentGeneratedError',
]);

/** Whatever an AI SDK model threw, as an `LLMError` (or the caller's abort reason). */
export function fromModelError(error: unknown, provider: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (isLLMError(error) || typeof error !== 'object' || error === null) return toLLMError(error, { provider, signal });
  const e = error as AISDKErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = `cassettes: ${provider}: ${typeof e.message === 'string' ? e.message : String(error)}`;
  if (name === 'AI_APICallError') {
    const headers = typeof e.responseHeaders === 'object' && e.responseHeaders !== null ? (e.responseHeaders as Record<string, string>) : undefined;
    if (typeof e.statusCode === 'number' && e.statusCode >= 400) {
      return llmErrorFromStatus({ provider, status: e.statusCode, message, retryAfterMs: parseRetryAfterMs(headers), cause: error });
    }
    // @note a 2xx the SDK could not read ("Invalid JSON response") is malformed; no status at
    // all means the request never got an answer (connection refused, reset, DNS)
    if (typeof e.statusCode === 'number') return new LLMResponseError(message, { provider, status: e.statusCode, cause: error });
    return new LLMProviderUnavailableError(message, { provider, cause: error });
  }
  if (name === 'AI_LoadAPIKeyError') return new LLMAuthenticationError(message, { provider, cause: error });
  if (MALFORMED.has(name)) return new LLMResponseError(message, { provider, cause: error });
  return toLLMError(error, { provider, signal });
}
