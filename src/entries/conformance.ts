// Entry point of `cassettes/conformance`: picks the running test runner by itself.
export { conformanceChecks } from '../conformance/checks.js';
export { ConformanceError } from '../conformance/conformance-error.js';
export type { TestRegistrar } from '../conformance/register.js';
export { registerConformance } from '../conformance/register.js';
export { describeProviderConformance } from '../conformance/runners.js';
export type {
  CheckOutcome,
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceOptions,
  ProviderFactory,
} from '../conformance/types.js';
export type { LLMFaultKind } from '../protocol/faults.js';
