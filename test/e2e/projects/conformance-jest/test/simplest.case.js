// The simplest documented use, word for word: no onNetwork wiring, no capabilities.
const { describeProviderConformance } = require('cassettes/conformance');
const { MockLLMProvider } = require('cassettes/provider');

describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] }));
