/** Header names whose values never reach disk. */
export const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'openai-organization',
  'openai-project',
] as const;

/** Query parameters that carry keys (Gemini's `?key=`). */
export const SECRET_QUERY_PARAMS: readonly string[] = ['key', 'api_key', 'apikey', 'access_token'];

/** Environment variables whose values are scrubbed wherever they appear. */
export const SECRET_ENV_VARS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

/**
 * Request headers not stored: they vary per SDK version, machine or attempt, or belong to the
 * transport, and would make every re-recording a noisy diff.
 */
export const VOLATILE_REQUEST_HEADERS = [
  'user-agent',
  'x-goog-api-client',
  'content-length',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'accept-encoding',
] as const;

export const REDACTED = '[REDACTED]';
/** Shortest value treated as a secret: shorter strings would scrub ordinary words. */
export const MIN_SECRET_LENGTH = 8;
