// A provider with a bug: the conformance run must fail and name the check.
const { describeProviderConformance } = require('cassettes/conformance');
const { BrokenUsageProvider } = require('../src/echo-provider.js');

describeProviderConformance('broken usage (jest, cjs)', ({ onNetwork }) => new BrokenUsageProvider({ onNetwork }));
