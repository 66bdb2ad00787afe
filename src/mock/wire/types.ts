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
