import { generateStructuredValue, generateText } from './generate.js';
import type { GenerateOptions, GenerateStructuredOptions, HealthStatus, LLMCallOptions, LLMProvider, LLMProviderCore, LLMUsageTotals } from './provider.js';
import type { LLMRequest } from './request.js';
import type { LLMRateLimit, LLMResponse, LLMStreamEvent } from './response.js';
import type { StructuredSchema } from './structured-schema.js';
import { addUsage, ZERO_USAGE } from './usage-totals.js';

// @note A registered symbol: a second copy of the package (ESM next to CJS, Jest's registries)
// must still see that a provider already has the protocol.
const PROTOCOL_BRAND = Symbol.for('cassettes.llm-provider');

/** How long a failed health check keeps `isAvailable()` false before it checks again. */
const RECHECK_AFTER_MS = 30_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The protocol on top of a provider's three core calls: usage totals, the last rate limit,
 * availability from health checks, `generate` and `generateStructured`. Every provider this
 * package makes is one; `withProtocol()` makes one of any `LLMProviderCore`.
 */
export abstract class LLMProviderBase implements LLMProvider {
  abstract readonly name: string;
  abstract readonly model: string;
  #usage: LLMUsageTotals = ZERO_USAGE;
  #rateLimit: LLMRateLimit | undefined;
  #health: { healthy: boolean; at: number } | undefined;
  #checking: Promise<HealthStatus> | undefined;

  constructor() {
    Object.defineProperty(this, PROTOCOL_BRAND, { value: true });
  }

  protected abstract doComplete(request: LLMRequest, options: LLMCallOptions): Promise<LLMResponse>;
  protected abstract doStream(request: LLMRequest, options: LLMCallOptions): AsyncIterable<LLMStreamEvent>;
  protected abstract doHealthCheck(): Promise<HealthStatus>;
  /** A wrapper's own answer (an open circuit, say); `undefined` leaves it to health checks. */
  protected availability(): Promise<boolean> | undefined {
    return undefined;
  }

  get tokenUsage(): LLMUsageTotals {
    return this.#usage;
  }

  get rateLimit(): LLMRateLimit | undefined {
    return this.#rateLimit;
  }

  resetTokenUsage(): void {
    this.#usage = ZERO_USAGE;
  }

  complete(request: LLMRequest, options: LLMCallOptions = {}): Promise<LLMResponse> {
    let pending: Promise<LLMResponse>;
    try {
      // @note called synchronously: a provider may fix a call's outcome the moment it is made
      pending = this.doComplete(request, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return pending.then((response) => this.succeeded(response));
  }

  stream(request: LLMRequest, options: LLMCallOptions = {}): AsyncIterable<LLMStreamEvent> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<LLMStreamEvent> => {
        let iterator: AsyncIterator<LLMStreamEvent>;
        try {
          iterator = this.doStream(request, options)[Symbol.asyncIterator]();
        } catch (error) {
          // a provider that refuses at once: the refusal surfaces from the first pull
          return { next: () => Promise.reject(error) };
        }
        return {
          next: async () => {
            const step = await iterator.next();
            if (!step.done && step.value.type === 'finish') this.succeeded(step.value.response);
            return step;
          },
          return: async (value?: unknown) => (await iterator.return?.(value)) ?? { done: true, value: undefined },
        };
      },
    };
  }

  async healthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    let status: HealthStatus;
    try {
      status = await this.doHealthCheck();
    } catch (error) {
      status = { healthy: false, latencyMs: performance.now() - started, error: errorText(error) };
    }
    this.#health = { healthy: status.healthy === true, at: Date.now() };
    return status;
  }

  async isAvailable(): Promise<boolean> {
    try {
      const own = this.availability();
      if (own !== undefined) return await own;
      const last = this.#health;
      if (last && (last.healthy || Date.now() - last.at < RECHECK_AFTER_MS)) return last.healthy;
      this.#checking ??= this.healthCheck().finally(() => {
        this.#checking = undefined;
      });
      return (await this.#checking).healthy;
    } catch {
      return false;
    }
  }

  generate(prompt: string | LLMRequest, options?: GenerateOptions): Promise<string> {
    return generateText((request, callOptions) => this.complete(request, callOptions), prompt, options);
  }

  generateStructured<T = unknown>(prompt: string | LLMRequest, schema: StructuredSchema<T>, options?: GenerateStructuredOptions): Promise<T> {
    return generateStructuredValue((request, callOptions) => this.complete(request, callOptions), this.name, prompt, schema, options);
  }

  /** A successful call counts toward the totals and, as a sign of life, as a passed health check. */
  private succeeded(response: LLMResponse): LLMResponse {
    this.#usage = addUsage(this.#usage, response.usage);
    this.#rateLimit = response.rateLimit;
    this.#health = { healthy: true, at: Date.now() };
    return response;
  }
}

class CoreProvider extends LLMProviderBase {
  constructor(private readonly core: LLMProviderCore) {
    super();
  }

  get name(): string {
    return this.core.name;
  }

  get model(): string {
    return this.core.model;
  }

  protected doComplete(request: LLMRequest, options: LLMCallOptions): Promise<LLMResponse> {
    return this.core.complete(request, options);
  }

  protected doStream(request: LLMRequest, options: LLMCallOptions): AsyncIterable<LLMStreamEvent> {
    return this.core.stream(request, options);
  }

  protected doHealthCheck(): Promise<HealthStatus> {
    return this.core.healthCheck();
  }

  protected override availability(): Promise<boolean> | undefined {
    return this.core.isAvailable?.();
  }
}

/** True for a provider that already has the protocol (made by this package, in any copy of it). */
export function hasProtocol(provider: unknown): provider is LLMProvider {
  return typeof provider === 'object' && provider !== null && (provider as Record<symbol, unknown>)[PROTOCOL_BRAND] === true;
}

/**
 * Gives a provider that implements only `complete`, `stream` and `healthCheck` the whole
 * protocol: `generate`, `generateStructured`, `isAvailable`, `tokenUsage`, `rateLimit`. A
 * provider that has it already is returned as it is.
 */
export function withProtocol(provider: LLMProviderCore): LLMProvider {
  if (hasProtocol(provider)) return provider;
  return new CoreProvider(provider);
}
