// The simplest documented use, word for word: no onNetwork wiring, no capabilities.
import { describeProviderConformance } from 'cassettes/conformance';
import { MockLLMProvider } from 'cassettes/provider';

describeProviderConformance('mock', () => new MockLLMProvider({ replies: ['Hello'] }));
