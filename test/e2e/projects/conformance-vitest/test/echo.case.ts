// The user's own test file: ESM, Vitest without `globals: true`.
import { describeProviderConformance } from 'cassettes/conformance';
import { withProtocol } from 'cassettes/provider';
import { EchoProvider } from '../src/echo-provider.js';

// proof that this project runs without `globals: true`
if ('describe' in globalThis) throw new Error('e2e: expected Vitest without globals');

// withProtocol gives the user's provider generate, generateStructured, isAvailable and usage totals
describeProviderConformance('echo (vitest, esm)', () => withProtocol(new EchoProvider()), {
  capabilities: {
    json: true,
    faults: (kind) => new EchoProvider({ fault: kind }),
  },
});
