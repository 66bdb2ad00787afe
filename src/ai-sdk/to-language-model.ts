import type { LLMProviderCore } from '../protocol/provider.js';
import type { LLMFinishReason, LLMResponse, LLMStreamEvent, LLMUsage } from '../protocol/response.js';
import { requestFromCall } from './call-to-request.js';
import type { SpecCallOptions, SpecContent, SpecFinishReason, SpecGenerateResult, SpecLanguageModel, SpecStreamPart, SpecUsage, SpecWarning } from './spec.js';

export interface ToLanguageModelOptions<V extends 'v3' | 'v4' = 'v4'> {
  /**
   * The specification version to implement: `v4` (default) for `ai` 7, `v3` for `ai` 6. (`ai` 7
   * also takes a v3 model.)
   */
  readonly specificationVersion?: V;
  /** `provider` of the model (default: the provider's `name`). */
  readonly provider?: string;
}

const FINISH: Readonly<Record<LLMFinishReason, SpecFinishReason['unified']>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  content_filter: 'content-filter',
  error: 'error',
};

export function specFinishReason(reason: LLMFinishReason): SpecFinishReason {
  return { unified: FINISH[reason], raw: reason };
}

export function specUsage(usage: LLMUsage): SpecUsage {
  const cached = usage.cachedInputTokens;
  const reasoning = usage.reasoningTokens;
  return {
    inputTokens: { total: usage.inputTokens, noCache: usage.inputTokens - (cached ?? 0), cacheRead: cached, cacheWrite: undefined },
    outputTokens: { total: usage.outputTokens, text: usage.outputTokens - (reasoning ?? 0), reasoning },
  };
}

function metadata(response: LLMResponse): Record<string, Record<string, string | number>> {
  return { cassettes: { latencyMs: response.latencyMs, ...(response.requestId === undefined ? {} : { requestId: response.requestId }) } };
}

function content(response: LLMResponse): SpecContent[] {
  const parts: SpecContent[] = [];
  if (response.content !== '') parts.push({ type: 'text', text: response.content });
  for (const call of response.toolCalls) parts.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: JSON.stringify(call.arguments) });
  return parts;
}

/**
 * Our stream events as the specification's stream parts (text and tool inputs opened, streamed,
 * closed), one event per pull: with no read-ahead, a failure reaches the reader only after every
 * part before it (an errored stream drops what is still queued).
 */
function partsStream(iterator: AsyncIterator<LLMStreamEvent>, first: IteratorResult<LLMStreamEvent>, warnings: SpecWarning[]): ReadableStream<SpecStreamPart> {
  const TEXT = 'text-0';
  let textOpen = false;
  const tools = new Map<number, string>();
  let pending: IteratorResult<LLMStreamEvent> | undefined = first;
  let started = false;
  const translate = (event: LLMStreamEvent, controller: ReadableStreamDefaultController<SpecStreamPart>): void => {
    if (event.type === 'text-delta') {
      if (!textOpen) controller.enqueue({ type: 'text-start', id: TEXT });
      textOpen = true;
      if (event.text !== '') controller.enqueue({ type: 'text-delta', id: TEXT, delta: event.text });
    } else if (event.type === 'tool-call-delta') {
      if (!tools.has(event.index)) {
        tools.set(event.index, event.id);
        controller.enqueue({ type: 'tool-input-start', id: event.id, toolName: event.name });
      }
      if (event.argumentsDelta !== '') controller.enqueue({ type: 'tool-input-delta', id: tools.get(event.index) as string, delta: event.argumentsDelta });
    } else {
      const { response } = event;
      controller.enqueue({ type: 'response-metadata', ...(response.requestId === undefined ? {} : { id: response.requestId }), modelId: response.model });
      if (textOpen) controller.enqueue({ type: 'text-end', id: TEXT });
      response.toolCalls.forEach((call, index) => {
        const id = tools.get(index);
        if (id !== undefined) controller.enqueue({ type: 'tool-input-end', id });
        controller.enqueue({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: JSON.stringify(call.arguments) });
      });
      controller.enqueue({
        type: 'finish',
        usage: specUsage(response.usage),
        finishReason: specFinishReason(response.finishReason),
        providerMetadata: metadata(response),
      });
    }
  };
  return new ReadableStream<SpecStreamPart>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue({ type: 'stream-start', warnings });
        }
        const step = pending ?? (await iterator.next());
        pending = undefined;
        if (step.done) controller.close();
        else translate(step.value, controller);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * An AI SDK language model over any `LLMProvider` (`MockLLMProvider`, the adapters, your own):
 * `generateText`, `streamText`, tools and structured output of the `ai` package run on it.
 * Specification v4 (`ai` 7) by default; `{ specificationVersion: 'v3' }` for `ai` 6.
 */
export function toLanguageModel(provider: LLMProviderCore, options?: ToLanguageModelOptions<'v4'>): SpecLanguageModel<'v4'>;
export function toLanguageModel(provider: LLMProviderCore, options: ToLanguageModelOptions<'v3'>): SpecLanguageModel<'v3'>;
export function toLanguageModel(provider: LLMProviderCore, options: ToLanguageModelOptions<'v3' | 'v4'> = {}): SpecLanguageModel {
  const name = options.provider ?? provider.name;
  return {
    specificationVersion: options.specificationVersion ?? 'v4',
    provider: name,
    modelId: provider.model,
    // @note no URL is fetched by the model itself: the AI SDK downloads images and hands over bytes
    supportedUrls: {},
    async doGenerate(call: SpecCallOptions): Promise<SpecGenerateResult> {
      const { request, warnings } = requestFromCall(call, name);
      const response = await provider.complete(request, call.abortSignal ? { signal: call.abortSignal } : {});
      return {
        content: content(response),
        finishReason: specFinishReason(response.finishReason),
        usage: specUsage(response.usage),
        providerMetadata: metadata(response),
        request: { body: request },
        response: { ...(response.requestId === undefined ? {} : { id: response.requestId }), modelId: response.model, body: response.raw },
        warnings,
      };
    },
    async doStream(call: SpecCallOptions): Promise<{ stream: ReadableStream<SpecStreamPart>; request: { body: unknown } }> {
      const { request, warnings } = requestFromCall(call, name);
      const iterator = provider.stream(request, call.abortSignal ? { signal: call.abortSignal } : {})[Symbol.asyncIterator]();
      // @note the first pull happens here, so a call that fails at once (an invalid request, a
      // 429) rejects doStream, as the AI SDK's own providers do, instead of erroring the stream
      const first = await iterator.next();
      return { stream: partsStream(iterator, first, warnings), request: { body: request } };
    },
  };
}
