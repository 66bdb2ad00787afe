import { CassetteError } from '../errors.js';
import type { LLMProvider } from '../protocol/provider.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import type { OpenAIClientLike, SdkWithResponse } from './client-types.js';
import { callSdk } from './client-types.js';
import type { AdapterCall } from './define-adapter.js';
import { closing, defineAdapter } from './define-adapter.js';
import { headerValue } from './headers.js';
import { chatStreamEvents, fromChatCompletion, toChatBody } from './openai-chat.js';
import { fromResponsesObject, RESPONSES_UNSUPPORTED, responsesStreamEvents, toResponsesBody } from './openai-responses.js';
import { parseOpenAIRateLimit } from './rate-limit-headers.js';
import type { ResponseMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';

export interface OpenAIProviderOptions {
  /** Default model; `request.model` overrides it per call. */
  readonly model: string;
  /** Chat Completions (default) or the Responses API. */
  readonly api?: 'chat' | 'responses';
  /** `name` of the provider (default `openai`); useful for OpenAI-compatible servers. */
  readonly name?: string;
  /** The largest `maxTokens` the model can produce (default 32 768): above it a request is refused. */
  readonly maxOutputTokens?: number;
}

function metaOf(result: SdkWithResponse, call: AdapterCall): ResponseMeta {
  const headers = result.response.headers;
  return {
    latencyMs: performance.now() - call.startedAt,
    requestId: result.request_id ?? headerValue(headers, 'x-request-id'),
    rateLimit: parseOpenAIRateLimit(headers),
  };
}

function asStream(data: unknown, provider: string): AsyncIterable<unknown> {
  if (typeof data === 'object' && data !== null && Symbol.asyncIterator in data) return data as AsyncIterable<unknown>;
  throw malformed(provider, 'expected a stream, got a plain body (did the server ignore `stream: true`?)', data);
}

/**
 * Wraps your own `new OpenAI(...)` client as an `LLMProvider`. The SDK stays your dependency:
 * this adapter only calls `chat.completions.create` / `responses.create` and reads plain JSON.
 */
export function openaiProvider(client: OpenAIClientLike, options: OpenAIProviderOptions): LLMProvider {
  const api = options.api ?? 'chat';
  const name = options.name ?? 'openai';
  if (api === 'responses' && !client.responses) {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', 'cassettes: openaiProvider({ api: "responses" }) needs a client with `responses` (openai >= 4.87)');
  }

  const send = async (call: AdapterCall, stream: boolean): Promise<SdkWithResponse> => {
    const sdkOptions = { signal: call.signal };
    if (api === 'responses' && client.responses) {
      const create = client.responses.create;
      return callSdk(create, client.responses, toResponsesBody(call.request, call.model, stream), sdkOptions).withResponse();
    }
    const create = client.chat.completions.create;
    return callSdk(create, client.chat.completions, toChatBody(call.request, call.model, stream), sdkOptions).withResponse();
  };

  return defineAdapter({
    name,
    family: 'openai',
    model: options.model,
    maxOutputTokens: options.maxOutputTokens,
    ...(api === 'responses' ? { unsupported: RESPONSES_UNSUPPORTED } : {}),
    async complete(call): Promise<LLMResponse> {
      const result = await send(call, false);
      const meta = metaOf(result, call);
      return api === 'responses' ? fromResponsesObject(result.data, call, meta) : fromChatCompletion(result.data, call, meta);
    },
    async *stream(call): AsyncGenerator<LLMStreamEvent> {
      const result = await send(call, true);
      const source = closing(asStream(result.data, name));
      const meta = (): ResponseMeta => metaOf(result, call);
      yield* api === 'responses' ? responsesStreamEvents(source, call, meta) : chatStreamEvents(source, call, meta);
    },
  });
}
