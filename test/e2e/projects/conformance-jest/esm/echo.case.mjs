// The user's own ES module test file under Jest (--experimental-vm-modules), importing the
// project's CommonJS provider.
import { describeProviderConformance } from 'cassettes/conformance';
import { EchoProvider } from '../src/echo-provider.js';

describeProviderConformance('echo (jest, esm)', ({ onNetwork }) => new EchoProvider({ onNetwork }), {
  capabilities: {
    json: true,
    faults: (kind, { onNetwork }) => new EchoProvider({ onNetwork, fault: kind }),
  },
});
