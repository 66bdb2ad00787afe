// Entry point of `cassettes/conformance/vitest` (ESM only, like Vitest itself).
import { describe, test } from 'vitest';
import { registerConformance } from './register.js';
import type { ConformanceOptions, ProviderFactory } from './types.js';

export { conformanceChecks } from './checks.js';
export { ConformanceError } from './conformance-error.js';
export type {
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceFault,
  ConformanceOptions,
  ProviderFactory,
} from './types.js';

/** Registers the conformance suite in the running Vitest file (no `globals: true` needed). */
export function describeProviderConformance(name: string, factory: ProviderFactory, options: ConformanceOptions = {}): void {
  registerConformance({ describe, test }, name, factory, options);
}
