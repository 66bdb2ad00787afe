import type { LLMError, LLMErrorCode } from './errors.js';
import { LLMAuthenticationError, LLMProviderUnavailableError, LLMRateLimitError, LLMRequestError, LLMResponseError, LLMTimeoutError } from './errors.js';

/**
 * The ways a provider call can fail, as the mocks produce them and the conformance suite checks
 * them: one kind per `LLMError` class.
 */
export type LLMFaultKind = 'rate-limit' | 'timeout' | 'unavailable' | 'malformed' | 'authentication' | 'invalid-request';

export const FAULT_KINDS: readonly LLMFaultKind[] = ['rate-limit', 'timeout', 'unavailable', 'malformed', 'authentication', 'invalid-request'];

/** The `code` each fault kind surfaces as. */
export const FAULT_CODES: Readonly<Record<LLMFaultKind, LLMErrorCode>> = {
  'rate-limit': 'LLM_RATE_LIMIT',
  timeout: 'LLM_TIMEOUT',
  unavailable: 'LLM_PROVIDER_UNAVAILABLE',
  malformed: 'LLM_MALFORMED_RESPONSE',
  authentication: 'LLM_AUTHENTICATION',
  'invalid-request': 'LLM_INVALID_REQUEST',
};

/**
 * The HTTP status a provider answers each kind with (`malformed` is a 200 that cannot be read).
 * @note `unavailable` is 503 here; Anthropic's own overloaded status, 529, maps to the same kind.
 */
export const FAULT_STATUS: Readonly<Record<LLMFaultKind, number>> = {
  'rate-limit': 429,
  timeout: 408,
  unavailable: 503,
  malformed: 200,
  authentication: 401,
  'invalid-request': 400,
};

export const FAULT_MESSAGES: Readonly<Record<LLMFaultKind, string>> = {
  'rate-limit': 'Rate limit reached for requests. Please try again later.',
  timeout: 'Request timed out.',
  unavailable: 'The service is temporarily unavailable.',
  malformed: 'The response could not be parsed.',
  authentication: 'Incorrect API key provided.',
  'invalid-request': 'The request is invalid.',
};

export interface FaultErrorOptions {
  readonly provider: string;
  readonly message?: string | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfterMs?: number | undefined;
}

/** The `LLMError` a provider reports for a fault of this kind. */
export function faultError(kind: LLMFaultKind, options: FaultErrorOptions): LLMError {
  const message = options.message ?? FAULT_MESSAGES[kind];
  const base = { provider: options.provider, requestId: options.requestId };
  switch (kind) {
    case 'rate-limit':
      return new LLMRateLimitError(message, { ...base, status: 429, retryAfterMs: options.retryAfterMs });
    case 'timeout':
      return new LLMTimeoutError(message, base);
    case 'unavailable':
      return new LLMProviderUnavailableError(message, { ...base, status: 503 });
    case 'malformed':
      return new LLMResponseError(message, { ...base, status: 200 });
    case 'authentication':
      return new LLMAuthenticationError(message, { ...base, status: 401 });
    case 'invalid-request':
      return new LLMRequestError(message, { ...base, status: 400 });
  }
}
