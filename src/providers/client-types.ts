/**
 * Structural stand-ins for the SDK clients: just the methods the adapters call. The real SDK
 * clients satisfy them, and no SDK is imported (not even its types), so the package builds and
 * type-checks without any SDK installed.
 */
import type { HeadersLike } from './headers.js';

export interface SdkRequestOptions {
  signal?: AbortSignal | undefined;
}

/** What `.withResponse()` on an openai / @anthropic-ai/sdk `APIPromise` resolves to. */
export interface SdkWithResponse {
  data: unknown;
  response: { headers: HeadersLike; status?: number };
  request_id?: string | null | undefined;
}

export interface SdkApiPromise {
  withResponse(): Promise<SdkWithResponse>;
}

export interface OpenAIClientLike {
  chat: { completions: { create(body: never, options?: SdkRequestOptions): SdkApiPromise } };
  responses?: { create(body: never, options?: SdkRequestOptions): SdkApiPromise };
}

export interface AnthropicClientLike {
  messages: { create(body: never, options?: SdkRequestOptions): SdkApiPromise };
}

export interface GeminiClientLike {
  models: {
    generateContent(params: never): Promise<unknown>;
    generateContentStream(params: never): Promise<AsyncIterable<unknown>>;
  };
}

/** Calls an SDK method typed against `never` (so any SDK signature fits) with our own body. */
export function callSdk<R>(method: (body: never, options?: SdkRequestOptions) => R, self: unknown, body: unknown, options?: SdkRequestOptions): R {
  return (method as (this: unknown, body: unknown, options?: SdkRequestOptions) => R).call(self, body, options);
}
