import { CassetteError } from '../errors.js';
import { raceAbort, throwIfAborted } from '../protocol/abort.js';
import { LLMRequestError, LLMResponseError } from '../protocol/errors.js';
import type { HealthStatus, LLMCallOptions, LLMProvider } from '../protocol/provider.js';
import { withProtocol } from '../protocol/provider-base.js';
import type { LLMRequest, LLMToolCall } from '../protocol/request.js';
import type { LLMFinishReason, LLMRateLimit, LLMResponse, LLMStreamEvent, LLMUsage } from '../protocol/response.js';
import { makeUsage } from '../protocol/response.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, validateRequest } from '../protocol/validate-request.js';
import { parseAnthropicRateLimit, parseOpenAIRateLimit } from '../providers/rate-limit-headers.js';
import { fromModelError } from './model-errors.js';
import { callFromRequest } from './request-to-call.js';
import type { AnyLanguageModel, SpecificationVersion } from './spec.js';

export interface FromLanguageModelOptions {
  /** `name` of the provider (default: the model's `provider`, e.g. `openai.chat`). */
  readonly name?: string;
  /** Whose request limits apply (`openai`, `anthropic`, `gemini`; default: read from the model's `provider`). */
  readonly family?: string;
  /** The largest `maxTokens` accepted (default 32 768). */
  readonly maxOutputTokens?: number;
}

type Json = Record<string, unknown>;

const FINISH: Readonly<Record<string, LLMFinishReason>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
};

function familyOf(provider: string): string {
  const head = provider.split('.')[0] ?? provider;
  return head === 'google' || head === 'vertex' ? 'gemini' : head;
}

function finishReason(value: unknown): LLMFinishReason {
  const unified = typeof value === 'string' ? value : (value as { unified?: unknown } | undefined)?.unified;
  // @note `other` and `interrupted` (a stream that ended without saying why) are not a clean stop
  return FINISH[String(unified)] ?? 'error';
}

function usageOf(value: unknown): LLMUsage {
  const usage = (value ?? {}) as { inputTokens?: unknown; outputTokens?: unknown };
  const count = (x: unknown, key: string): number | undefined => {
    const inner = typeof x === 'object' && x !== null ? (x as Json)[key] : key === 'total' ? x : undefined;
    return typeof inner === 'number' && Number.isFinite(inner) ? inner : undefined;
  };
  return makeUsage(count(usage.inputTokens, 'total') ?? 0, count(usage.outputTokens, 'total') ?? 0, {
    cachedInputTokens: count(usage.inputTokens, 'cacheRead'),
    reasoningTokens: count(usage.outputTokens, 'reasoning'),
  });
}

/**
 * A stream the model gave up on: v4 says `interrupted`; a v3 model says `other` with no raw
 * reason, no tokens and nothing said (what @ai-sdk/openai 3 reports for a body it could not parse).
 */
function interrupted(finish: Json, content: readonly Json[]): boolean {
  const reason = (finish.finishReason ?? {}) as { unified?: unknown; raw?: unknown };
  if (reason.unified === 'interrupted') return true;
  const usage = usageOf(finish.usage);
  return reason.unified === 'other' && reason.raw === undefined && content.length === 0 && usage.totalTokens === 0;
}

/** The request fields named by the AI SDK's `unsupported` warnings (feature names as the providers use them). */
const WARNED_FIELDS: Readonly<Record<string, keyof LLMRequest>> = {
  responseFormat: 'responseFormat',
  seed: 'seed',
  frequencyPenalty: 'frequencyPenalty',
  presencePenalty: 'presencePenalty',
  stopSequences: 'stop',
  topP: 'topP',
  temperature: 'temperature',
  maxOutputTokens: 'maxTokens',
  toolChoice: 'toolChoice',
  tools: 'tools',
};

/**
 * A setting the request made that the model says it ignored: refused, as an adapter refuses what
 * its API has no parameter for, instead of an answer that silently did not follow it.
 */
function refuseIgnored(warnings: unknown, request: LLMRequest, provider: string): void {
  for (const warning of Array.isArray(warnings) ? (warnings as Json[]) : []) {
    const field =
      warning.type === 'unsupported' || warning.type === 'unsupported-setting' ? WARNED_FIELDS[String(warning.feature ?? warning.setting)] : undefined;
    if (field === undefined || request[field] === undefined) continue;
    const details = typeof warning.details === 'string' ? `: ${warning.details}` : '';
    throw new LLMRequestError(`cassettes: invalid request: \`${field}\` is not supported by ${provider}${details}`, {
      provider,
      field,
      allowed: `not supported by ${provider}`,
    });
  }
}

function rateLimitOf(headers: unknown): LLMRateLimit | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const record = headers as Record<string, string>;
  return Object.keys(record).some((key) => key.toLowerCase().startsWith('anthropic-ratelimit'))
    ? parseAnthropicRateLimit(record)
    : parseOpenAIRateLimit(record);
}

function toolCallOf(part: Json, provider: string): LLMToolCall {
  const input = part.input;
  let args: unknown = input;
  if (typeof input === 'string') {
    try {
      args = input.trim() === '' ? {} : JSON.parse(input);
    } catch (error) {
      throw new LLMResponseError(`cassettes: ${provider} returned tool call arguments that are not JSON: ${input.slice(0, 200)}`, { provider, cause: error });
    }
  }
  return {
    id: String(part.toolCallId),
    name: String(part.toolName),
    arguments: (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>,
  };
}

function responseOf(
  parts: { content: Json[]; finish: unknown; usage: unknown; meta: Json; headers: unknown; raw: unknown },
  model: string,
  provider: string,
  startedAt: number,
): LLMResponse {
  const text = parts.content
    .filter((p) => p.type === 'text')
    .map((p) => String(p.text))
    .join('');
  const toolCalls = parts.content.filter((p) => p.type === 'tool-call' && p.providerExecuted !== true).map((p) => toolCallOf(p, provider));
  const rateLimit = rateLimitOf(parts.headers);
  return {
    content: text,
    toolCalls,
    finishReason: finishReason(parts.finish) === 'stop' && toolCalls.length > 0 ? 'tool_calls' : finishReason(parts.finish),
    model: typeof parts.meta.modelId === 'string' ? parts.meta.modelId : model,
    usage: usageOf(parts.usage),
    latencyMs: performance.now() - startedAt,
    ...(typeof parts.meta.id === 'string' ? { requestId: parts.meta.id } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    raw: parts.raw,
  };
}

/**
 * An `LLMProvider` over any AI SDK language model (`@ai-sdk/openai`, `@ai-sdk/anthropic`,
 * `@ai-sdk/google`, or any community provider; specification v3 or v4), so that the
 * conformance suite and the resilience wrappers apply to it.
 */
export function fromLanguageModel(model: AnyLanguageModel, options: FromLanguageModelOptions = {}): LLMProvider {
  const version = model.specificationVersion as SpecificationVersion;
  if (version !== 'v3' && version !== 'v4') {
    throw new CassetteError(
      'LLM_CASSETTE_OPTIONS',
      `cassettes: fromLanguageModel takes an AI SDK language model of specification v3 (ai 6) or v4 (ai 7); got ${String(model.specificationVersion)}`,
    );
  }
  const name = options.name ?? model.provider;
  const family = options.family ?? familyOf(model.provider);
  const begin = (request: LLMRequest, signal: AbortSignal | undefined): Record<string, unknown> => {
    validateRequest(request, { provider: family, maxOutputTokens: options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS });
    throwIfAborted(signal);
    return callFromRequest(request, version, signal);
  };
  const generate = model.doGenerate as (call: unknown) => PromiseLike<Json>;
  const streamOf = model.doStream as (call: unknown) => PromiseLike<{ stream: ReadableStream<Json> }>;

  async function complete(request: LLMRequest, callOptions: LLMCallOptions = {}): Promise<LLMResponse> {
    const call = begin(request, callOptions.signal);
    const startedAt = performance.now();
    try {
      const result = await raceAbort(Promise.resolve(generate.call(model, call)), callOptions.signal);
      refuseIgnored(result.warnings, request, name);
      const response = (result.response ?? {}) as Json;
      return responseOf(
        {
          content: (result.content ?? []) as Json[],
          finish: result.finishReason,
          usage: result.usage,
          meta: response,
          headers: response.headers,
          raw: response.body ?? result,
        },
        model.modelId,
        name,
        startedAt,
      );
    } catch (error) {
      throw fromModelError(error, name, callOptions.signal);
    }
  }

  async function* stream(request: LLMRequest, callOptions: LLMCallOptions = {}): AsyncGenerator<LLMStreamEvent> {
    const { signal } = callOptions;
    const call = begin(request, signal);
    const startedAt = performance.now();
    let reader: ReadableStreamDefaultReader<Json> | undefined;
    let finished = false;
    try {
      const result = await raceAbort(Promise.resolve(streamOf.call(model, call)), signal);
      const headers = (result as { response?: { headers?: unknown } }).response?.headers;
      reader = result.stream.getReader();
      const raw: Json[] = [];
      const content: Json[] = [];
      const meta: Json = {};
      const tools = new Map<string, { index: number; name: string; streamed: boolean }>();
      let finish: Json | undefined;
      for (;;) {
        const step = await raceAbort(reader.read(), signal);
        if (step.done) break;
        const part = step.value;
        raw.push(part);
        switch (part.type) {
          case 'text-delta':
            if (part.delta) yield { type: 'text-delta', text: String(part.delta) };
            content.push({ type: 'text', text: part.delta ?? '' });
            break;
          case 'tool-input-start':
            tools.set(String(part.id), { index: tools.size, name: String(part.toolName), streamed: false });
            break;
          case 'tool-input-delta': {
            const tool = tools.get(String(part.id));
            if (tool && part.delta) {
              tool.streamed = true;
              yield { type: 'tool-call-delta', index: tool.index, id: String(part.id), name: tool.name, argumentsDelta: String(part.delta) };
            }
            break;
          }
          case 'tool-call': {
            if (part.providerExecuted === true) break;
            const toolCall = toolCallOf(part, name);
            let tool = tools.get(toolCall.id);
            if (!tool) tools.set(toolCall.id, (tool = { index: tools.size, name: toolCall.name, streamed: false }));
            // @note a provider that sends the call whole (no input deltas): its arguments as one delta
            if (!tool.streamed)
              yield { type: 'tool-call-delta', index: tool.index, id: toolCall.id, name: toolCall.name, argumentsDelta: JSON.stringify(toolCall.arguments) };
            content.push(part);
            break;
          }
          case 'stream-start':
            refuseIgnored(part.warnings, request, name);
            break;
          case 'response-metadata':
            Object.assign(meta, part);
            break;
          case 'finish':
            finish = part;
            break;
          case 'error':
            throw part.error;
        }
      }
      if (!finish || interrupted(finish, content)) {
        throw new LLMResponseError(`cassettes: ${name}'s stream ended without a completion signal (the answer may be cut short)`, {
          provider: name,
          cause: raw,
        });
      }
      finished = true;
      yield {
        type: 'finish',
        response: responseOf({ content, finish: finish.finishReason, usage: finish.usage, meta, headers, raw }, model.modelId, name, startedAt),
      };
    } catch (error) {
      throw fromModelError(error, name, signal);
    } finally {
      // @note closes the model's stream (and its HTTP body) when the caller stops early or aborts
      if (!finished && reader) void reader.cancel().catch(() => undefined);
    }
  }

  async function healthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    try {
      await complete({ messages: [{ role: 'user', content: 'ping' }], maxTokens: 16 });
      return { healthy: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { healthy: false, latencyMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
    }
  }

  return withProtocol({ name, model: model.modelId, complete, stream, healthCheck });
}
