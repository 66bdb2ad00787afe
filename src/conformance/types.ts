import type { LLMFaultKind } from '../protocol/faults.js';
import type { LLMProviderCore } from '../protocol/provider.js';

export interface ConformanceContext {
  /**
   * Optional. The suite watches the network through the package's own interceptor (fetch,
   * undici, node:http), so most providers need nothing here. Call it for requests that
   * interceptor cannot see: ones your provider answers itself inside its own `withCassette` or
   * `withMockLLM`, or a transport that is not HTTP.
   */
  readonly onNetwork: () => void;
}

/** Makes a fresh provider for each check. A bare `LLMProviderCore` is checked too; the protocol checks then skip. */
export type ProviderFactory = (context: ConformanceContext) => LLMProviderCore | Promise<LLMProviderCore>;

export interface ConformanceCapabilities {
  /** The provider supports tools: forced tool calls, tool results, streamed tool-call deltas. */
  readonly tools?: boolean;
  /** The provider supports `responseFormat: { type: 'json' }` (and so `generateStructured`). */
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
   * A directory to write the results matrix to, as `conformance.json` and `conformance.md`,
   * merged over every test file and worker of the run (default: LLM_CASSETTE_CONFORMANCE_REPORT).
   */
  readonly report?: string;
}

/** How a check ended when it did not fail (a failure is thrown). */
export type CheckOutcome = { readonly status: 'pass' } | { readonly status: 'skip'; readonly reason: string };

export interface ConformanceCheck {
  readonly name: string;
  readonly timeoutMs: number;
  /** Set when the check cannot apply to this provider at all (a capability it does not declare). */
  readonly skip?: string;
  /** Resolves with the outcome, or rejects with a `ConformanceError` that says what broke. */
  run(): Promise<CheckOutcome>;
}
