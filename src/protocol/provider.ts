import type { LLMRequest } from './request.js';
import type { LLMResponse, LLMStreamEvent } from './response.js';

export interface LLMCallOptions {
  /** Aborting rejects the call (or the stream's next pull) with `signal.reason`. */
  readonly signal?: AbortSignal;
}

export interface HealthStatus {
  readonly healthy: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface LLMProvider {
  readonly name: string;
  readonly model: string;
  complete(request: LLMRequest, options?: LLMCallOptions): Promise<LLMResponse>;
  /** Yields deltas, then exactly one final `{ type: 'finish', response }`. */
  stream(request: LLMRequest, options?: LLMCallOptions): AsyncIterable<LLMStreamEvent>;
  healthCheck(): Promise<HealthStatus>;
}
