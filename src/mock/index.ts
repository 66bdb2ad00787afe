export type {
  MockReply,
  MockReplyError,
  MockReplyUsage,
  MockToolCall,
  WireChunk,
  WireEndpoint,
  WireProvider,
  WireResponse,
  WireTarget,
} from './wire/index.js';
export { buildWireResponse, detectEndpoint } from './wire/index.js';
export type { MockCall, MockScript, WireMock } from './with-mock-llm.js';
export { withMockLLM } from './with-mock-llm.js';
