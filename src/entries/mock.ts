// Entry point of `cassettes/mock`: the wire-level mock the real SDKs accept.
export { buildWireResponse } from '../mock/wire/build-wire-response.js';
export { detectEndpoint } from '../mock/wire/detect-endpoint.js';
export type { WireChunk, WireEndpoint, WireProvider, WireResponse, WireTarget } from '../mock/wire/types.js';
export type { WireMock, WireMockCall, WireMockScript } from '../mock/with-mock-llm.js';
export { withMockLLM } from '../mock/with-mock-llm.js';
export type { LLMFaultKind } from '../protocol/faults.js';
export type { MockReply, MockReplyError, MockReplyInit, MockToolCall } from '../protocol/mock-reply.js';
