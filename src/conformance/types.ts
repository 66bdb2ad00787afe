import type { LLMProvider } from '../protocol/provider.js';

export interface ConformanceContext {
  /**
   * Call this once for every request your provider puts on the network (wire it into the
   * client's `fetch` option, or `MockLLMProvider`'s `onCall`). It lets the suite prove that
   * invalid requests are rejected before anything is sent.
   */
  readonly onNetwork: () => void;
}

export type ProviderFactory = (context: ConformanceContext) => LLMProvider | Promise<LLMProvider>;

export type ConformanceFault = 'rate-limit' | 'timeout' | 'unavailable' | 'malformed';

export interface ConformanceCapabilities {
  /** The provider supports tools: forced tool calls, tool results, streamed tool-call deltas. */
  readonly tools?: boolean;
  /** The provider supports `responseFormat: { type: 'json' }`. */
  readonly json?: boolean;
  /** Returns a provider whose next calls fail the given way; enables the error-mapping checks. */
  readonly faults?: (kind: ConformanceFault, context: ConformanceContext) => LLMProvider | Promise<LLMProvider>;
  /** Which faults `faults` can produce (default: all four). */
  readonly faultKinds?: readonly ConformanceFault[];
}

export interface ConformanceOptions {
  readonly capabilities?: ConformanceCapabilities;
  /** Per-check time limit in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** How soon an aborted call must reject, in ms (default 1000). */
  readonly abortWithinMs?: number;
  /**
   * `false` when the factory cannot report network use through `context.onNetwork`: the
   * "before any network call" check is then left out (and its name says so) instead of passing
   * without evidence.
   */
  readonly networkHook?: boolean;
}

export interface ConformanceCheck {
  readonly name: string;
  readonly timeoutMs: number;
  run(): Promise<void>;
}
