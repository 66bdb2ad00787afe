import type { LLMProvider } from '../protocol/provider.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import { fromMessage, messageStreamEvents, toMessagesBody } from './anthropic-messages.js';
import type { AnthropicClientLike, SdkWithResponse } from './client-types.js';
import { callSdk } from './client-types.js';
import type { AdapterCall } from './define-adapter.js';
import { closing, defineAdapter } from './define-adapter.js';
import { headerValue } from './headers.js';
import { parseAnthropicRateLimit } from './rate-limit-headers.js';
import type { ResponseMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';

export interface AnthropicProviderOptions {
  readonly model: string;
  /** `max_tokens` when the request sets no `maxTokens` (the API requires one). Default 4096. */
  readonly defaultMaxTokens?: number;
  readonly name?: string;
  /** The largest `maxTokens` the model can produce (default 32 768): above it a request is refused. */
  readonly maxOutputTokens?: number;
}

function metaOf(result: SdkWithResponse, call: AdapterCall): ResponseMeta {
  const headers = result.response.headers;
  return {
    latencyMs: performance.now() - call.startedAt,
    requestId: result.request_id ?? headerValue(headers, 'request-id'),
    rateLimit: parseAnthropicRateLimit(headers),
  };
}

/** Wraps your own `new Anthropic(...)` client as an `LLMProvider`. */
export function anthropicProvider(client: AnthropicClientLike, options: AnthropicProviderOptions): LLMProvider {
  const name = options.name ?? 'anthropic';
  const maxTokens = options.defaultMaxTokens ?? 4096;
  const send = (call: AdapterCall, stream: boolean): Promise<SdkWithResponse> =>
    callSdk(client.messages.create, client.messages, toMessagesBody(call.request, call.model, maxTokens, stream), {
      signal: call.signal,
    }).withResponse();

  return defineAdapter({
    name,
    family: 'anthropic',
    model: options.model,
    maxOutputTokens: options.maxOutputTokens,
    // @note The Messages API has no penalties and no seed.
    unsupported: { fields: ['frequencyPenalty', 'presencePenalty', 'seed'], by: 'anthropic (the Messages API has no such parameter)' },
    async complete(call): Promise<LLMResponse> {
      const result = await send(call, false);
      return fromMessage(result.data, call, metaOf(result, call));
    },
    async *stream(call): AsyncGenerator<LLMStreamEvent> {
      const result = await send(call, true);
      const data = result.data;
      if (typeof data !== 'object' || data === null || !(Symbol.asyncIterator in data)) {
        throw malformed(name, 'expected a stream, got a plain body', data);
      }
      yield* messageStreamEvents(closing(data as AsyncIterable<unknown>), call, () => metaOf(result, call));
    },
  });
}
