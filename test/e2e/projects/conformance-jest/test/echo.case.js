// The user's own test file: CommonJS under Jest.
const { describeProviderConformance } = require('cassettes/conformance');
const { EchoProvider } = require('../src/echo-provider.js');

describeProviderConformance('echo (jest, cjs)', ({ onNetwork }) => new EchoProvider({ onNetwork }), {
  capabilities: {
    json: true,
    faults: (kind, { onNetwork }) => new EchoProvider({ onNetwork, fault: kind }),
  },
});
