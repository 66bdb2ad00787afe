import type { LLMRateLimit, LLMRateLimitWindow } from '../protocol/response.js';
import type { HeadersLike } from './headers.js';
import { headerValue } from './headers.js';

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Parses OpenAI's Go-style durations (`6m0s`, `20ms`, `1.5s`) into milliseconds. */
export function parseDurationMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(DURATION_PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
    consumed += match[0].length;
  }
  return consumed === value.length && consumed > 0 ? Math.round(total) : undefined;
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * `retry-after-ms` (OpenAI, Anthropic) wins over `retry-after`, which is either seconds or an
 * HTTP date (RFC 9110 §10.2.3).
 */
export function parseRetryAfterMs(headers: HeadersLike | undefined, now = Date.now()): number | undefined {
  const ms = toNumber(headerValue(headers, 'retry-after-ms'));
  if (ms !== undefined && ms >= 0) return ms;
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = toNumber(raw);
  if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Drops undefined fields; `undefined` when nothing is left. */
function compact<T extends object>(value: { [K in keyof T]?: T[K] | undefined }): T | undefined {
  return Object.values(value).some((v) => v !== undefined) ? (Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T) : undefined;
}

function openaiWindow(headers: HeadersLike, kind: string): LLMRateLimitWindow | undefined {
  return compact<LLMRateLimitWindow>({
    limit: toNumber(headerValue(headers, `x-ratelimit-limit-${kind}`)),
    remaining: toNumber(headerValue(headers, `x-ratelimit-remaining-${kind}`)),
    resetAfterMs: parseDurationMs(headerValue(headers, `x-ratelimit-reset-${kind}`)),
  });
}

/** OpenAI: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`. */
export function parseOpenAIRateLimit(headers: HeadersLike | undefined): LLMRateLimit | undefined {
  if (!headers) return undefined;
  return compact<LLMRateLimit>({
    requests: openaiWindow(headers, 'requests'),
    tokens: openaiWindow(headers, 'tokens'),
    retryAfterMs: parseRetryAfterMs(headers),
  });
}

function anthropicWindow(headers: HeadersLike, kind: string): LLMRateLimitWindow | undefined {
  return compact<LLMRateLimitWindow>({
    limit: toNumber(headerValue(headers, `anthropic-ratelimit-${kind}-limit`)),
    remaining: toNumber(headerValue(headers, `anthropic-ratelimit-${kind}-remaining`)),
    resetAt: headerValue(headers, `anthropic-ratelimit-${kind}-reset`),
  });
}

/** Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`. */
export function parseAnthropicRateLimit(headers: HeadersLike | undefined): LLMRateLimit | undefined {
  if (!headers) return undefined;
  return compact<LLMRateLimit>({
    requests: anthropicWindow(headers, 'requests'),
    tokens: anthropicWindow(headers, 'tokens'),
    inputTokens: anthropicWindow(headers, 'input-tokens'),
    outputTokens: anthropicWindow(headers, 'output-tokens'),
    retryAfterMs: parseRetryAfterMs(headers),
  });
}
