import { describe, expect, test } from 'vitest';
import { isLLMError, LLMRateLimitError } from '../protocol/errors.js';
import { fromModelError } from './model-errors.js';

const aiError = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`${name} happened`), { name, ...extra });

describe('fromModelError', () => {
  test('an APICallError maps by status, with retry-after from its headers', () => {
    const limited = fromModelError(aiError('AI_APICallError', { statusCode: 429, responseHeaders: { 'retry-after': '7' } }), 'openai.chat', undefined);
    expect(limited).toMatchObject({ code: 'LLM_RATE_LIMIT', status: 429, retryAfterMs: 7000, provider: 'openai.chat' });
    expect(fromModelError(aiError('AI_APICallError', { statusCode: 401 }), 'p', undefined)).toMatchObject({ code: 'LLM_AUTHENTICATION' });
    expect(fromModelError(aiError('AI_APICallError', { statusCode: 200 }), 'p', undefined)).toMatchObject({ code: 'LLM_MALFORMED_RESPONSE', status: 200 });
    expect(fromModelError(aiError('AI_APICallError', { isRetryable: true }), 'p', undefined)).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
  });

  test.each([
    ['AI_LoadAPIKeyError', 'LLM_AUTHENTICATION'],
    ['AI_JSONParseError', 'LLM_MALFORMED_RESPONSE'],
    ['AI_TypeValidationError', 'LLM_MALFORMED_RESPONSE'],
    ['AI_InvalidResponseDataError', 'LLM_MALFORMED_RESPONSE'],
    ['AI_EmptyResponseBodyError', 'LLM_MALFORMED_RESPONSE'],
    ['AI_NoContentGeneratedError', 'LLM_MALFORMED_RESPONSE'],
  ])('%s → %s', (name, code) => {
    const error = fromModelError(aiError(name), 'p', undefined);
    expect(isLLMError(error)).toBe(true);
    expect(error).toMatchObject({ code, message: `cassettes: p: ${name} happened` });
  });

  test("an abort is the signal's reason; an LLMError stays itself; anything else is classified like an SDK error", () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    expect(fromModelError(aiError('AI_APICallError', { statusCode: 500 }), 'p', controller.signal)).toBe(reason);
    const own = new LLMRateLimitError('x', { provider: 'p' });
    expect(fromModelError(own, 'p', undefined)).toBe(own);
    expect(fromModelError('a string', 'p', undefined)).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
    expect(fromModelError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'p', undefined)).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
    });
  });
});
