import { raceAbort, throwIfAborted } from '../protocol/abort.js';
import type { HealthStatus, LLMCallOptions, LLMProvider, LLMProviderCore } from '../protocol/provider.js';
import { withProtocol } from '../protocol/provider-base.js';
import type { LLMRequest } from '../protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import { refuseUnsupported, validateRequest } from '../protocol/validate-request.js';
import { toLLMError } from './sdk-error.js';

export interface AdapterCall {
  readonly request: LLMRequest;
  /** `request.model` or the adapter's default. */
  readonly model: string;
  readonly signal: AbortSignal | undefined;
  /** `performance.now()` when the call started, for `latencyMs`. */
  readonly startedAt: number;
}

export interface AdapterSpec {
  readonly name: string;
  readonly model: string;
  /** Whose limits the shared validator applies (`openai`, `anthropic`, `gemini`); default `name`. */
  readonly family?: string;
  /** The largest `maxTokens` accepted (the adapter's `maxOutputTokens` option; default 32 768). */
  readonly maxOutputTokens?: number | undefined;
  /** Request fields this API has no parameter for, and how to name the API in the refusal. */
  readonly unsupported?: { readonly fields: readonly (keyof LLMRequest)[]; readonly by: string };
  readonly complete: (call: AdapterCall) => Promise<LLMResponse>;
  readonly stream: (call: AdapterCall) => AsyncIterable<LLMStreamEvent>;
}

const HEALTH_REQUEST: LLMRequest = { messages: [{ role: 'user', content: 'ping' }], maxTokens: 16 };

/**
 * The parts every adapter shares: validation before any network call, abort handling, error
 * mapping, a health check that makes one tiny completion, and the protocol on top.
 */
export function defineAdapter(spec: AdapterSpec): LLMProvider {
  const { name, model } = spec;
  const begin = (request: LLMRequest, signal: AbortSignal | undefined): AdapterCall => {
    const family = spec.family ?? name;
    validateRequest(request, { provider: family, ...(spec.maxOutputTokens === undefined ? {} : { maxOutputTokens: spec.maxOutputTokens }) });
    if (spec.unsupported) refuseUnsupported(request, spec.unsupported.fields, family, spec.unsupported.by);
    throwIfAborted(signal);
    return { request, model: request.model ?? model, signal, startedAt: performance.now() };
  };

  const core: LLMProviderCore = {
    name,
    model,
    async complete(request: LLMRequest, options: LLMCallOptions = {}): Promise<LLMResponse> {
      const call = begin(request, options.signal);
      try {
        return await raceAbort(spec.complete(call), options.signal);
      } catch (error) {
        throw toLLMError(error, { provider: name, signal: options.signal });
      }
    },
    stream(request: LLMRequest, options: LLMCallOptions = {}): AsyncIterable<LLMStreamEvent> {
      return {
        [Symbol.asyncIterator]: () => guardStream(() => spec.stream(begin(request, options.signal)), name, options.signal),
      };
    },
    async healthCheck(): Promise<HealthStatus> {
      const started = performance.now();
      try {
        await core.complete(HEALTH_REQUEST);
        return { healthy: true, latencyMs: performance.now() - started };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { healthy: false, latencyMs: performance.now() - started, error: message };
      }
    },
  };
  return withProtocol(core);
}

/**
 * Pulls from the adapter's stream with the abort signal checked before every pull and every
 * yield, so an abort rejects the next pull at once even while the SDK is still waiting on bytes.
 */
async function* guardStream(open: () => AsyncIterable<LLMStreamEvent>, provider: string, signal: AbortSignal | undefined): AsyncGenerator<LLMStreamEvent> {
  const iterator = open()[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      throwIfAborted(signal);
      let step: IteratorResult<LLMStreamEvent>;
      try {
        step = await raceAbort(iterator.next(), signal);
      } catch (error) {
        throw toLLMError(error, { provider, signal });
      }
      if (step.done) {
        finished = true;
        return;
      }
      throwIfAborted(signal);
      yield step.value;
    }
  } finally {
    // @note On abort or an early `break`, close the SDK stream so it cancels its HTTP body;
    // not awaited, because a stuck SDK must not keep the caller waiting.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * Iterates an SDK stream and always closes it (which aborts the underlying fetch), whether the
 * consumer finishes, breaks out early or fails.
 */
export async function* closing<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      const step = await iterator.next();
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
