import type { LLMFinishReason } from '../../protocol/response.js';

export type WireProvider = 'openai' | 'anthropic' | 'gemini';

export type WireEndpoint =
  | 'chat'
  | 'responses'
  | 'embeddings'
  | 'messages'
  | 'count_tokens'
  | 'generateContent'
  | 'streamGenerateContent'
  | 'embedContent'
  | 'batchEmbedContents';

export interface WireTarget {
  readonly provider: WireProvider;
  readonly endpoint: WireEndpoint;
  /** From the path (Gemini); OpenAI and Anthropic name the model in the body. */
  readonly model?: string;
  /** Gemini `streamGenerateContent`: `?alt=sse` → `sse`, otherwise a streamed JSON array. */
  readonly streamFormat?: 'sse' | 'json-array';
}

export interface MockToolCall {
  readonly name: string;
  readonly arguments: object;
}

export interface MockReplyUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

export interface MockReplyError {
  readonly status: number;
  readonly message: string;
  /** Seconds, sent as `retry-after` (and Gemini's RetryInfo). */
  readonly retryAfter?: number;
}

/** What the scripted model says: text, or text/tool calls/usage/timing, or an HTTP error. */
export type MockReply =
  | string
  | {
      readonly text?: string;
      readonly toolCalls?: readonly MockToolCall[];
      /** Missing counts are estimated from the request body and the reply (≈ 4 characters a token). */
      readonly usage?: MockReplyUsage;
      /** Provider-neutral; mapped to each provider's own value (`length` → `max_tokens`, `MAX_TOKENS`…). */
      readonly finishReason?: LLMFinishReason;
      /** Delay before every streamed chunk after the first. */
      readonly chunkDelayMs?: number;
      readonly error?: MockReplyError;
    };

export interface WireChunk {
  readonly data: Uint8Array;
  /** Wait this long before sending this chunk. */
  readonly delayMs: number;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly chunks: WireChunk[];
}
