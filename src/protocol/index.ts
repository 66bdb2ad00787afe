// Entry point of `cassettes/provider`.

export type { AnthropicProviderOptions } from '../providers/anthropic-provider.js';
export { anthropicProvider } from '../providers/anthropic-provider.js';
export type {
  AnthropicClientLike,
  GeminiClientLike,
  OpenAIClientLike,
  SdkApiPromise,
  SdkRequestOptions,
  SdkWithResponse,
} from '../providers/client-types.js';
export type { GeminiProviderOptions } from '../providers/gemini-provider.js';
export { geminiProvider } from '../providers/gemini-provider.js';
export type { HeadersLike } from '../providers/headers.js';
export type { OpenAIProviderOptions } from '../providers/openai-provider.js';
export { openaiProvider } from '../providers/openai-provider.js';
export type {
  ErrorFromStatusOptions,
  LLMErrorCode,
  LLMErrorOptions,
  LLMRateLimitErrorOptions,
  LLMRequestErrorOptions,
} from './errors.js';
export {
  isLLMError,
  LLMAuthenticationError,
  LLMError,
  LLMProviderUnavailableError,
  LLMRateLimitError,
  LLMRequestError,
  LLMResponseError,
  LLMTimeoutError,
  llmErrorFromStatus,
} from './errors.js';
export type {
  InjectFaultOptions,
  MockLLMCall,
  MockLLMFault,
  MockLLMProviderOptions,
} from './mock-provider.js';
export { MockLLMProvider } from './mock-provider.js';
export type {
  MockLLMReplies,
  MockLLMReply,
  MockLLMReplyContext,
  MockLLMResponseInit,
  MockLLMToolCallInit,
} from './mock-reply.js';
export { defaultMockReply } from './mock-reply.js';
export type { HealthStatus, LLMCallOptions, LLMProvider } from './provider.js';
export type {
  JsonSchema,
  LLMAssistantMessage,
  LLMContent,
  LLMContentPart,
  LLMImagePart,
  LLMMessage,
  LLMRequest,
  LLMResponseFormat,
  LLMRole,
  LLMSystemMessage,
  LLMTextPart,
  LLMTool,
  LLMToolCall,
  LLMToolChoice,
  LLMToolResultMessage,
  LLMUserMessage,
} from './request.js';
export { contentText } from './request.js';
export type {
  LLMFinishReason,
  LLMRateLimit,
  LLMRateLimitWindow,
  LLMResponse,
  LLMStreamEvent,
  LLMUsage,
} from './response.js';
export { FINISH_REASONS, makeUsage } from './response.js';
export { estimateRequestTokens, estimateTokens } from './token-estimate.js';
export type { ValidateRequestOptions } from './validate-request.js';
export { validateRequest } from './validate-request.js';
