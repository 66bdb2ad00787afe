import { describe, expect, test } from 'vitest';
import * as errors from '../../src/protocol/errors.js';
import { parseAnthropicRateLimit, parseDurationMs, parseOpenAIRateLimit, parseRetryAfterMs } from '../../src/providers/rate-limit-headers.js';
import { toLLMError } from '../../src/providers/sdk-error.js';

describe('LLMError', () => {
  test('isLLMError works across copies of the module (cross-realm)', async () => {
    // A second, independent instance of the module, as a CJS/ESM dual load would produce.
    const specifier = '../../src/protocol/errors.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof errors;
    const foreign = new copy.LLMRateLimitError('slow down', { provider: 'x', status: 429, retryAfterMs: 5 });
    expect(foreign instanceof errors.LLMRateLimitError).toBe(false);
    expect(errors.isLLMError(foreign)).toBe(true);
    expect(errors.isLLMError(foreign, 'LLM_RATE_LIMIT')).toBe(true);
    expect(errors.isLLMError(foreign, 'LLM_TIMEOUT')).toBe(false);
    expect(errors.isLLMError({ code: 'LLM_RATE_LIMIT' })).toBe(false);
    expect(errors.isLLMError(new Error('x'))).toBe(false);
  });

  test('fields, names and cause', () => {
    const cause = new Error('root');
    const error = new errors.LLMProviderUnavailableError('down', { provider: 'openai', status: 503, requestId: 'req_1', cause });
    expect(error).toMatchObject({
      name: 'LLMProviderUnavailableError',
      code: 'LLM_PROVIDER_UNAVAILABLE',
      provider: 'openai',
      status: 503,
      requestId: 'req_1',
      cause,
    });
    expect(error).toBeInstanceOf(errors.LLMError);
  });

  test.each([
    [400, 'LLM_INVALID_REQUEST'],
    [404, 'LLM_INVALID_REQUEST'],
    [413, 'LLM_INVALID_REQUEST'],
    [422, 'LLM_INVALID_REQUEST'],
    [401, 'LLM_AUTHENTICATION'],
    [403, 'LLM_AUTHENTICATION'],
    [408, 'LLM_TIMEOUT'],
    [429, 'LLM_RATE_LIMIT'],
    [500, 'LLM_PROVIDER_UNAVAILABLE'],
    [503, 'LLM_PROVIDER_UNAVAILABLE'],
    [529, 'LLM_PROVIDER_UNAVAILABLE'],
    [409, 'LLM_PROVIDER_UNAVAILABLE'],
    [200, 'LLM_MALFORMED_RESPONSE'],
  ])('llmErrorFromStatus(%i) → %s', (status, code) => {
    expect(errors.llmErrorFromStatus({ provider: 'p', status, message: 'm' }).code).toBe(code);
  });
});

describe('rate-limit headers', () => {
  test('Go durations', () => {
    expect(parseDurationMs('6m0s')).toBe(360_000);
    expect(parseDurationMs('20ms')).toBe(20);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('1h2m3s')).toBe(3_723_000);
    expect(parseDurationMs('soon')).toBeUndefined();
  });

  test('retry-after-ms, retry-after seconds and HTTP date', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:10 GMT' }, Date.parse('2025-01-01T00:00:00Z'))).toBe(10_000);
  });

  test('OpenAI and Anthropic headers', () => {
    expect(
      parseOpenAIRateLimit(
        new Headers({
          'x-ratelimit-limit-requests': '15000',
          'x-ratelimit-remaining-requests': '14999',
          'x-ratelimit-reset-requests': '4ms',
          'x-ratelimit-limit-tokens': '40000000',
          'x-ratelimit-remaining-tokens': '40000000',
          'x-ratelimit-reset-tokens': '0s',
        }),
      ),
    ).toEqual({
      requests: { limit: 15000, remaining: 14999, resetAfterMs: 4 },
      tokens: { limit: 40000000, remaining: 40000000, resetAfterMs: 0 },
    });
    expect(
      parseAnthropicRateLimit(
        new Headers({
          'anthropic-ratelimit-requests-limit': '20000',
          'anthropic-ratelimit-requests-remaining': '19999',
          'anthropic-ratelimit-requests-reset': '2026-05-28T22:15:58Z',
          'anthropic-ratelimit-output-tokens-limit': '800000',
        }),
      ),
    ).toEqual({
      requests: { limit: 20000, remaining: 19999, resetAt: '2026-05-28T22:15:58Z' },
      outputTokens: { limit: 800000 },
    });
    expect(parseOpenAIRateLimit(new Headers())).toBeUndefined();
  });
});

describe('toLLMError (structural SDK error mapping)', () => {
  class APIConnectionError extends Error {}
  class APIConnectionTimeoutError extends APIConnectionError {}
  const ctx = { provider: 'openai' };

  test('by status, with request id and retry-after', () => {
    const sdkError = Object.assign(new Error('429 slow down'), {
      status: 429,
      headers: new Headers({ 'retry-after': '3', 'x-request-id': 'req_abc' }),
      requestID: 'req_abc',
    });
    const mapped = toLLMError(sdkError, ctx);
    expect(mapped).toMatchObject({ code: 'LLM_RATE_LIMIT', status: 429, retryAfterMs: 3000, requestId: 'req_abc', cause: sdkError });
  });

  test('by class name up the prototype chain (openai leaves `name` at "Error")', () => {
    expect(toLLMError(new APIConnectionTimeoutError('Request timed out.'), ctx)).toMatchObject({ code: 'LLM_TIMEOUT' });
    expect(toLLMError(new APIConnectionError('Connection error.'), ctx)).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
  });

  test('errors inside a 200 stream, by the provider error type', () => {
    const overloaded = Object.assign(new Error('Overloaded'), { error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    expect(toLLMError(overloaded, { provider: 'anthropic' })).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
    const quota = Object.assign(new Error('quota'), { error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(toLLMError(quota, ctx)).toMatchObject({ code: 'LLM_RATE_LIMIT' });
  });

  test("Gemini ApiError: status, and RetryInfo's retryDelay", () => {
    const apiError = Object.assign(new Error('{"error":{"code":429,"details":[{"retryDelay":"34s"}]}}'), { name: 'ApiError', status: 429 });
    expect(toLLMError(apiError, { provider: 'gemini' })).toMatchObject({ code: 'LLM_RATE_LIMIT', retryAfterMs: 34_000 });
  });

  test('connection failures, parse failures, and an SDK-side abort without the caller signal', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(toLLMError(refused, ctx)).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
    expect(toLLMError(new SyntaxError('Unexpected end of JSON input'), ctx)).toMatchObject({ code: 'LLM_MALFORMED_RESPONSE' });
    expect(toLLMError(new DOMException('aborted', 'AbortError'), ctx)).toMatchObject({ code: 'LLM_TIMEOUT' });
  });

  test("the caller's abort wins: its reason comes back unchanged", () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    expect(toLLMError(new Error('Request was aborted.'), { provider: 'openai', signal: controller.signal })).toBe(reason);
  });
});
