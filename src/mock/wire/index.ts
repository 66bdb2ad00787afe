export { buildWireResponse } from './build-wire-response.js';
export { detectEndpoint } from './detect-endpoint.js';
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
} from './types.js';
