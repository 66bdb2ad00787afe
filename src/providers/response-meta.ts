import type { LLMResponse } from '../protocol/response.js';

/** What an adapter knows about a call besides the body: timing, request id, rate limits. */
export interface ResponseMeta {
  readonly latencyMs: number;
  readonly requestId?: string | undefined;
  readonly rateLimit?: LLMResponse['rateLimit'] | undefined;
}

export function withMeta(response: Omit<LLMResponse, 'latencyMs' | 'requestId' | 'rateLimit'>, meta: ResponseMeta): LLMResponse {
  return {
    ...response,
    latencyMs: meta.latencyMs,
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    ...(meta.rateLimit === undefined ? {} : { rateLimit: meta.rateLimit }),
  };
}
