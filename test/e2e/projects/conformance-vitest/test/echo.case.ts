// The user's own test file: ESM, Vitest without `globals: true`.
import { describeProviderConformance } from 'cassettes/conformance';
import { EchoProvider } from '../src/echo-provider.js';

// proof that this project runs without `globals: true`
if ('describe' in globalThis) throw new Error('e2e: expected Vitest without globals');

describeProviderConformance('echo (vitest, esm)', ({ onNetwork }) => new EchoProvider({ onNetwork }), {
  capabilities: {
    json: true,
    faults: (kind, { onNetwork }) => new EchoProvider({ onNetwork, fault: kind }),
  },
});
