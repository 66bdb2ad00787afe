/**
 * One error hierarchy for every provider, so callers branch on `code` (or the class) instead of
 * on each SDK's own error classes.
 */

import type { LLMErrorCode } from '../error-codes.js';

export type { LLMErrorCode } from '../error-codes.js';

// @note A registered symbol, not `instanceof`: a second copy of this package (CJS next to ESM,
// Jest's per-file module registry, a vm realm) has its own classes, and `instanceof` fails there.
const LLM_ERROR_BRAND = Symbol.for('cassettes.llm-error');

export interface LLMErrorOptions {
  readonly provider: string;
  readonly status?: number | undefined;
  readonly requestId?: string | undefined;
  readonly cause?: unknown;
}

export abstract class LLMError extends Error {
  abstract readonly code: LLMErrorCode;
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: LLMErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.status = options.status;
    this.requestId = options.requestId;
    Object.defineProperty(this, LLM_ERROR_BRAND, { value: true });
  }
}

export interface LLMRequestErrorOptions extends LLMErrorOptions {
  /** Path of the offending field, e.g. `temperature` or `messages[2].toolCallId`. */
  readonly field?: string | undefined;
  /** What the field may be, e.g. `0–1 for anthropic`. */
  readonly allowed?: string | undefined;
}

/** The request is invalid: rejected locally before sending, or by the provider (400/404/413/422). */
export class LLMRequestError extends LLMError {
  override readonly name = 'LLMRequestError';
  readonly code = 'LLM_INVALID_REQUEST' as const;
  readonly field: string | undefined;
  readonly allowed: string | undefined;
  constructor(message: string, options: LLMRequestErrorOptions) {
    super(message, options);
    this.field = options.field;
    this.allowed = options.allowed;
  }
}

/** Missing, invalid or insufficient credentials (401/403). */
export class LLMAuthenticationError extends LLMError {
  override readonly name = 'LLMAuthenticationError';
  readonly code = 'LLM_AUTHENTICATION' as const;
}

export interface LLMRateLimitErrorOptions extends LLMErrorOptions {
  readonly retryAfterMs?: number | undefined;
}

/** Too many requests or quota exhausted (429). */
export class LLMRateLimitError extends LLMError {
  override readonly name = 'LLMRateLimitError';
  readonly code = 'LLM_RATE_LIMIT' as const;
  /** How long the provider asked to wait, when it said so. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: LLMRateLimitErrorOptions) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The call took too long: a client-side timeout or HTTP 408. */
export class LLMTimeoutError extends LLMError {
  override readonly name = 'LLMTimeoutError';
  readonly code = 'LLM_TIMEOUT' as const;
}

/** The provider could not answer: 5xx, 529 overloaded, or no connection at all. */
export class LLMProviderUnavailableError extends LLMError {
  override readonly name = 'LLMProviderUnavailableError';
  readonly code = 'LLM_PROVIDER_UNAVAILABLE' as const;
}

/** One problem a schema found in a structured answer. */
export interface LLMValidationIssue {
  readonly message: string;
  /** Where in the value, e.g. `['items', 0, 'name']`; empty for the value itself. */
  readonly path: readonly (string | number)[];
}

export interface LLMResponseErrorOptions extends LLMErrorOptions {
  /** The text the model answered with, when it could not be used (`generateStructured`). */
  readonly text?: string | undefined;
  /** What the schema found wrong with the answer (`generateStructured`). */
  readonly issues?: readonly LLMValidationIssue[] | undefined;
}

/** The provider answered, but not in a shape that can be understood or does not validate. */
export class LLMResponseError extends LLMError {
  override readonly name = 'LLMResponseError';
  readonly code = 'LLM_MALFORMED_RESPONSE' as const;
  readonly text: string | undefined;
  readonly issues: readonly LLMValidationIssue[] | undefined;
  constructor(message: string, options: LLMResponseErrorOptions) {
    super(message, options);
    this.text = options.text;
    this.issues = options.issues;
  }
}

const CODES: ReadonlySet<string> = new Set<LLMErrorCode>([
  'LLM_INVALID_REQUEST',
  'LLM_AUTHENTICATION',
  'LLM_RATE_LIMIT',
  'LLM_TIMEOUT',
  'LLM_PROVIDER_UNAVAILABLE',
  'LLM_MALFORMED_RESPONSE',
]);

interface CodeToError {
  LLM_INVALID_REQUEST: LLMRequestError;
  LLM_AUTHENTICATION: LLMAuthenticationError;
  LLM_RATE_LIMIT: LLMRateLimitError;
  LLM_TIMEOUT: LLMTimeoutError;
  LLM_PROVIDER_UNAVAILABLE: LLMProviderUnavailableError;
  LLM_MALFORMED_RESPONSE: LLMResponseError;
}

/** Cross-realm-safe check; with `code`, also narrows to that error class. */
export function isLLMError(value: unknown): value is LLMError;
export function isLLMError<C extends LLMErrorCode>(value: unknown, code: C): value is CodeToError[C];
export function isLLMError(value: unknown, code?: LLMErrorCode): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const branded = (value as { [LLM_ERROR_BRAND]?: unknown })[LLM_ERROR_BRAND] === true;
  const valueCode = (value as { code?: unknown }).code;
  if (!branded || typeof valueCode !== 'string' || !CODES.has(valueCode)) return false;
  return code === undefined || valueCode === code;
}

/** The codes worth another attempt (or another provider): the provider may well answer next time. */
export const RETRYABLE_CODES: readonly LLMErrorCode[] = ['LLM_RATE_LIMIT', 'LLM_TIMEOUT', 'LLM_PROVIDER_UNAVAILABLE'];

/**
 * A rate limit, a timeout or an unavailable provider. Never an invalid request, bad credentials
 * or a malformed answer: those fail the same way on every attempt.
 */
export function isRetryableError(value: unknown): value is LLMError {
  return isLLMError(value) && RETRYABLE_CODES.includes(value.code);
}

export interface ErrorFromStatusOptions extends LLMErrorOptions {
  readonly status: number;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
}

/**
 * Maps an HTTP status to the hierarchy. Exported so third-party providers classify exactly like
 * the built-in adapters.
 */
export function llmErrorFromStatus(options: ErrorFromStatusOptions): LLMError {
  const { status, message } = options;
  if (status === 401 || status === 403) return new LLMAuthenticationError(message, options);
  if (status === 429) return new LLMRateLimitError(message, options);
  if (status === 408) return new LLMTimeoutError(message, options);
  // @note 409 is a lock/conflict on the provider side that succeeds on retry (the SDKs retry it).
  if (status >= 500 || status === 409) return new LLMProviderUnavailableError(message, options);
  if (status >= 400) return new LLMRequestError(message, options);
  return new LLMResponseError(message, options);
}
