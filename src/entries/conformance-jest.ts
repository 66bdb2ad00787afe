// Entry point of `cassettes/conformance/jest`: Jest's global describe/test.
export { conformanceChecks } from '../conformance/checks.js';
export { ConformanceError } from '../conformance/conformance-error.js';
export { describeWithGlobals as describeProviderConformance } from '../conformance/runners.js';
export type {
  CheckOutcome,
  ConformanceCapabilities,
  ConformanceCheck,
  ConformanceContext,
  ConformanceOptions,
  ProviderFactory,
} from '../conformance/types.js';
export type { LLMFaultKind } from '../protocol/faults.js';
