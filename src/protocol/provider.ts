import type { LLMRequest } from './request.js';
import type { LLMRateLimit, LLMResponse, LLMStreamEvent } from './response.js';
import type { StructuredSchema } from './structured-schema.js';

export interface LLMCallOptions {
  /** Aborting rejects the call (or the stream's next pull) with `signal.reason`. */
  readonly signal?: AbortSignal;
}

export interface HealthStatus {
  readonly healthy: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/**
 * What a provider implements: a completion, a stream and a health check. `withProtocol()` turns
 * one into a full `LLMProvider`.
 */
export interface LLMProviderCore {
  readonly name: string;
  readonly model: string;
  complete(request: LLMRequest, options?: LLMCallOptions): Promise<LLMResponse>;
  /** Yields deltas, then exactly one final `{ type: 'finish', response }`. */
  stream(request: LLMRequest, options?: LLMCallOptions): AsyncIterable<LLMStreamEvent>;
  healthCheck(): Promise<HealthStatus>;
  /**
   * Optional: whether calls can go through right now (a wrapper with a circuit, say). Without it,
   * `withProtocol()` answers from health checks.
   */
  isAvailable?(): Promise<boolean>;
}

/** Running totals over every successful call of one provider instance, `complete` and `stream` alike. */
export interface LLMUsageTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cachedInputTokens: number;
  readonly reasoningTokens: number;
}

/** What `generate()` and `generateStructured()` may add to (or override in) the request. */
export interface GenerateOptions {
  /** A system message, put before the request's messages. */
  readonly system?: string;
  readonly model?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly stop?: string | readonly string[];
  readonly seed?: number;
  readonly providerOptions?: LLMRequest['providerOptions'];
  readonly signal?: AbortSignal;
}

export interface GenerateStructuredOptions extends GenerateOptions {
  /** Name of the output, sent where the provider takes one (OpenAI `json_schema.name`). */
  readonly name?: string;
}

/**
 * The provider protocol: the core calls plus the conveniences and state that every provider
 * this package makes (adapters, `MockLLMProvider`, the resilience wrappers) has.
 *
 * @note There is deliberately no synchronous `complete`: Node has no synchronous HTTP that does
 * not block the event loop.
 */
export interface LLMProvider extends LLMProviderCore {
  /** The text of one completion. `prompt` is a user message, or a whole request. */
  generate(prompt: string | LLMRequest, options?: GenerateOptions): Promise<string>;
  /**
   * Asks for JSON through the provider's native structured output, then parses and validates it.
   * `schema` is a Standard Schema (zod 4, valibot, arktype…) or a plain JSON Schema object.
   */
  generateStructured<T = unknown>(prompt: string | LLMRequest, schema: StructuredSchema<T>, options?: GenerateStructuredOptions): Promise<T>;
  /** False while a circuit is open or the last health check failed; runs one when none has run. Never throws. */
  isAvailable(): Promise<boolean>;
  /** Totals over every successful call of this instance. */
  readonly tokenUsage: LLMUsageTotals;
  resetTokenUsage(): void;
  /** The rate limits the last response reported; `undefined` before any (or when it reported none). */
  readonly rateLimit: LLMRateLimit | undefined;
}
