import { describeProviderConformance } from '../../src/entries/conformance.js';
import { describeProviderConformance as describeWithVitest } from '../../src/entries/conformance-vitest.js';
import { MockLLMProvider } from '../../src/protocol/mock-provider.js';

// The auto-detecting entry (no `globals: true` in this project: found through Vitest's worker).
describeProviderConformance('MockLLMProvider', ({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork, chunkSize: 3 }), {
  capabilities: {
    tools: true,
    json: true,
    faults: (kind) => MockLLMProvider.failing(kind),
  },
});

// The explicit Vitest entry, with stream delays so that aborts land mid-flight.
describeWithVitest(
  'MockLLMProvider with latency and chunk delays',
  ({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork, latencyMs: 5, chunkDelayMs: 5, chunkSize: 2 }),
  { capabilities: { tools: true } },
);

// The simplest documented use: no onNetwork, no capabilities. The suite watches the network
// through the package's own interceptor, and a provider that makes no HTTP at all passes.
describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] }));
