// Entry point of `cassettes/provider`: the provider contract (src/protocol), the adapters over the
// official SDKs (src/providers) and the resilience wrappers (src/resilience).

export type {
  ErrorFromStatusOptions,
  LLMErrorCode,
  LLMErrorOptions,
  LLMRateLimitErrorOptions,
  LLMRequestErrorOptions,
  LLMResponseErrorOptions,
  LLMValidationIssue,
} from '../protocol/errors.js';
export {
  isLLMError,
  isRetryableError,
  LLMAuthenticationError,
  LLMError,
  LLMProviderUnavailableError,
  LLMRateLimitError,
  LLMRequestError,
  LLMResponseError,
  LLMTimeoutError,
  llmErrorFromStatus,
  RETRYABLE_CODES,
} from '../protocol/errors.js';
export type { LLMFaultKind } from '../protocol/faults.js';
export { FAULT_CODES, FAULT_KINDS } from '../protocol/faults.js';
export type { InjectFaultOptions, MockLLMCall, MockLLMProviderOptions } from '../protocol/mock-provider.js';
export { MockLLMProvider } from '../protocol/mock-provider.js';
export type { MockReplies, MockReply, MockReplyContext, MockReplyError, MockReplyInit, MockToolCall } from '../protocol/mock-reply.js';
export { defaultMockReply } from '../protocol/mock-reply.js';
export type {
  GenerateOptions,
  GenerateStructuredOptions,
  HealthStatus,
  LLMCallOptions,
  LLMProvider,
  LLMProviderCore,
  LLMUsageTotals,
} from '../protocol/provider.js';
export { hasProtocol, withProtocol } from '../protocol/provider-base.js';
export type {
  JsonSchema,
  LLMAssistantMessage,
  LLMContent,
  LLMContentPart,
  LLMImagePart,
  LLMMessage,
  LLMProviderOptions,
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
} from '../protocol/request.js';
export { contentText } from '../protocol/request.js';
export type { LLMFinishReason, LLMRateLimit, LLMRateLimitWindow, LLMResponse, LLMStreamEvent, LLMUsage } from '../protocol/response.js';
export { FINISH_REASONS, makeUsage } from '../protocol/response.js';
export type { StandardSchemaV1, StructuredSchema } from '../protocol/structured-schema.js';
export { estimateRequestTokens, estimateTokens } from '../protocol/token-estimate.js';
export type { ValidateRequestOptions } from '../protocol/validate-request.js';
export { DEFAULT_MAX_OUTPUT_TOKENS, refuseUnsupported, validateRequest } from '../protocol/validate-request.js';
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
export type { Sleep } from '../resilience/attempts.js';
export type { CircuitBreakerOptions, CircuitState } from '../resilience/with-circuit-breaker.js';
export { withCircuitBreaker } from '../resilience/with-circuit-breaker.js';
export type { FallbackEvent, FallbackOptions } from '../resilience/with-fallback.js';
export { withFallback } from '../resilience/with-fallback.js';
export type { RetryEvent, RetryOptions } from '../resilience/with-retry.js';
export { withRetry } from '../resilience/with-retry.js';
