/**
 * Every code an error of this package carries, in one place: users branch on these, never on
 * message text. Three families: the cassette machinery (`LLM_CASSETTE_*`, on `CassetteError`),
 * the provider protocol (`LLM_*`, on `LLMError` and its subclasses, what an `LLMProvider` throws),
 * and the conformance suite (`LLM_CONFORMANCE_*`).
 */
export type ErrorCode = CassetteErrorCode | LLMErrorCode | ConformanceErrorCode;

/** The cassette machinery's codes (CassetteError). */
export type CassetteErrorCode =
  | 'LLM_CASSETTE_NO_MATCH'
  | 'LLM_CASSETTE_NOT_FOUND'
  | 'LLM_CASSETTE_BYPASS'
  | 'LLM_CASSETTE_MODE'
  | 'LLM_CASSETTE_UNUSED'
  | 'LLM_CASSETTE_FORMAT'
  /** The cassette path exists but cannot be read as a file (permissions, a directory in its place). */
  | 'LLM_CASSETTE_UNREADABLE'
  | 'LLM_CASSETTE_WRITE'
  /** The cassette file has no write permission: recording into it is refused, the file is left alone. */
  | 'LLM_CASSETTE_READ_ONLY'
  | 'LLM_CASSETTE_AUTH'
  | 'LLM_CASSETTE_TOO_LARGE'
  | 'LLM_CASSETTE_OPTIONS'
  | 'LLM_CASSETTE_HOOK'
  | 'LLM_CASSETTE_UNFINISHED'
  | 'LLM_CASSETTE_CUT'
  | 'LLM_CASSETTE_NOT_JSON'
  | 'LLM_CASSETTE_EXPIRED'
  | 'LLM_CASSETTE_BLOCKED'
  | 'LLM_CASSETTE_REPORT'
  /** `cassettes serve`: a request that no session, default cassette or pool entry can be attributed to. */
  | 'LLM_CASSETTE_SESSION'
  /** `cassettes serve`: an unknown mount or route, a session-API body that is not what it expects. */
  | 'LLM_CASSETTE_SERVE';

/** The provider protocol's codes (LLMError: what a provider throws). */
export type LLMErrorCode =
  | 'LLM_INVALID_REQUEST'
  | 'LLM_AUTHENTICATION'
  | 'LLM_RATE_LIMIT'
  | 'LLM_TIMEOUT'
  | 'LLM_PROVIDER_UNAVAILABLE'
  | 'LLM_MALFORMED_RESPONSE';

/** The conformance suite's codes: a failed check, a check that cannot apply. */
export type ConformanceErrorCode = 'LLM_CONFORMANCE_FAILED' | 'LLM_CONFORMANCE_SKIPPED';
