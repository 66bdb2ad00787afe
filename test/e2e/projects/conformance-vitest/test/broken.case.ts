// A provider with a bug: the conformance run must fail and name the check.
import { describeProviderConformance } from 'cassettes/conformance';
import { BrokenUsageProvider } from '../src/echo-provider.js';

describeProviderConformance('broken usage (vitest, esm)', ({ onNetwork }) => new BrokenUsageProvider({ onNetwork }));
