import type { LLMProvider } from '../protocol/provider.js';
import type { LLMToolCall } from '../protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import type { GeminiClientLike } from './client-types.js';
import { callSdk } from './client-types.js';
import type { AdapterCall } from './define-adapter.js';
import { closing, defineAdapter } from './define-adapter.js';
import { fromGenerateContent, geminiFinishReason, geminiUsage, readCandidate, toGeminiParams } from './gemini-content.js';
import type { HeadersLike } from './headers.js';
import { headerValue } from './headers.js';
import { parseRetryAfterMs } from './rate-limit-headers.js';
import { arrayAt, recordAt, stringAt } from './read.js';
import type { ResponseMeta } from './response-meta.js';
import { withMeta } from './response-meta.js';
import { malformed } from './sdk-error.js';

export interface GeminiProviderOptions {
  readonly model: string;
  readonly name?: string;
  /** The largest `maxTokens` the model can produce (default 32 768): above it a request is refused. */
  readonly maxOutputTokens?: number;
}

function metaOf(data: unknown, call: AdapterCall): ResponseMeta {
  const headers = recordAt(recordAt(data, 'sdkHttpResponse'), 'headers') as HeadersLike | undefined;
  const retryAfterMs = parseRetryAfterMs(headers);
  // @note Gemini sends no request-id header; `responseId` is the only per-call id it returns.
  return {
    latencyMs: performance.now() - call.startedAt,
    requestId: headerValue(headers, 'x-request-id') ?? stringAt(data, 'responseId'),
    ...(retryAfterMs === undefined ? {} : { rateLimit: { retryAfterMs } }),
  };
}

/**
 * Wraps your own `new GoogleGenAI(...)` client as an `LLMProvider`, through
 * `client.models.generateContent` / `generateContentStream`.
 *
 * `raw` is the SDK's `GenerateContentResponse`: it has every field @google/genai knows (the SDK
 * itself drops fields newer than its own version before the adapter sees them).
 */
export function geminiProvider(client: GeminiClientLike, options: GeminiProviderOptions): LLMProvider {
  const name = options.name ?? 'gemini';
  const params = (call: AdapterCall): unknown => {
    const { contents, config } = toGeminiParams(call.request);
    return { model: call.model, contents, config: { ...config, ...(call.signal ? { abortSignal: call.signal } : {}) } };
  };

  return defineAdapter({
    name,
    family: 'gemini',
    model: options.model,
    maxOutputTokens: options.maxOutputTokens,
    async complete(call): Promise<LLMResponse> {
      const data = await callSdk(client.models.generateContent, client.models, params(call));
      return fromGenerateContent(data, call, metaOf(data, call));
    },
    async *stream(call): AsyncGenerator<LLMStreamEvent> {
      const source = await callSdk(client.models.generateContentStream, client.models, params(call));
      const raw: unknown[] = [];
      let content = '';
      const toolCalls: LLMToolCall[] = [];
      let finishReason: string | undefined;
      let last: unknown;
      let blocked = false;
      let usage: unknown;
      for await (const chunk of closing(source)) {
        raw.push(chunk);
        last = chunk;
        usage = recordAt(chunk, 'usageMetadata') ?? usage;
        if (stringAt(recordAt(chunk, 'promptFeedback'), 'blockReason') !== undefined) blocked = true;
        const parts = readCandidate(chunk, toolCalls.length);
        if (parts.text) {
          content += parts.text;
          yield { type: 'text-delta', text: parts.text };
        }
        // @note Gemini sends each functionCall whole in one chunk: one delta carries all arguments.
        for (const toolCall of parts.toolCalls) {
          yield { type: 'tool-call-delta', index: toolCalls.length, id: toolCall.id, name: toolCall.name, argumentsDelta: JSON.stringify(toolCall.arguments) };
          toolCalls.push(toolCall);
        }
        finishReason = parts.finishReason ?? finishReason;
      }
      if (last === undefined || (!blocked && !arrayAt(last, 'candidates') && finishReason === undefined)) {
        throw malformed(name, 'the stream ended without any candidate', raw);
      }
      const meta = metaOf(last, call);
      yield {
        type: 'finish',
        response: withMeta(
          {
            content,
            toolCalls,
            finishReason: geminiFinishReason(finishReason, toolCalls.length > 0, blocked && content === '' && toolCalls.length === 0),
            model: stringAt(last, 'modelVersion') ?? call.model,
            // @note usageMetadata is repeated on every chunk and changes; the last one is final.
            usage: geminiUsage(usage),
            raw,
          },
          meta,
        ),
      };
    },
  });
}
