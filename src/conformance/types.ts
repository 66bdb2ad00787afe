import type { LLMFaultKind } from '../protocol/faults.js';
import type { LLMProviderCore } from '../protocol/provider.js';

export interface ConformanceContext {
  /**
   * Call this once for every request your provider puts on the network (wire it into the
   * client's `fetch` option, or `MockLLMProvider`'s `onCall`). It lets the suite prove that
   * invalid requests are rejected before anything is sent.
   */
  readonly onNetwork: () => void;
}

/** Makes a fresh provider for each check. A bare `LLMProviderCore` is checked too; the protocol checks then skip. */
export type ProviderFactory = (context: ConformanceContext) => LLMProviderCore | Promise<LLMProviderCore>;

export interface ConformanceCapabilities {
  /** The provider supports tools: forced tool calls, tool results, streamed tool-call deltas. */
  readonly tools?: boolean;
  /** The provider supports `responseFormat: { type: 'json' }`. */
  readonly json?: boolean;
  /** Returns a provider whose next calls fail the given way; enables the error-mapping checks. */
  readonly faults?: (kind: LLMFaultKind, context: ConformanceContext) => LLMProviderCore | Promise<LLMProviderCore>;
  /** Which faults `faults` can produce (default: all six, `FAULT_KINDS`). */
  readonly faultKinds?: readonly LLMFaultKind[];
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
