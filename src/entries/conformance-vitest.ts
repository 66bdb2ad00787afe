// Entry point of `cassettes/conformance/vitest` (ESM only, like Vitest itself).
import { describe, test } from 'vitest';
import { registerConformance } from '../conformance/register.js';
import type { ConformanceOptions, ProviderFactory } from '../conformance/types.js';

export { conformanceChecks } from '../conformance/checks.js';
export { ConformanceError } from '../conformance/conformance-error.js';
export type {
  CheckOutcome,
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceOptions,
  ProviderFactory,
} from '../conformance/types.js';
export type { LLMFaultKind } from '../protocol/faults.js';

/** Registers the conformance suite in the running Vitest file (no `globals: true` needed). */
export function describeProviderConformance(name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  registerConformance({ describe, test }, name, factory, options);
}
