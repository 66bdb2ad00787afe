/**
 * Provider-neutral request types. Everything but `messages` is optional so that the smallest
 * useful request is `{ messages: [{ role: 'user', content: 'Hi' }] }`.
 */

/** A JSON Schema object. Kept structural on purpose: providers accept different dialects. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface LLMTextPart {
  readonly type: 'text';
  readonly text: string;
}

/** An image given either by URL or as base64 `data` with its `mimeType`. */
export interface LLMImagePart {
  readonly type: 'image';
  readonly url?: string;
  readonly data?: string;
  readonly mimeType?: string;
}

export type LLMContentPart = LLMTextPart | LLMImagePart;

export type LLMContent = string | readonly LLMContentPart[];

export interface LLMToolCall {
  readonly id: string;
  readonly name: string;
  /** Parsed JSON arguments (OpenAI sends a string on the wire; adapters parse it). */
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface LLMSystemMessage {
  readonly role: 'system';
  readonly content: LLMContent;
}

export interface LLMUserMessage {
  readonly role: 'user';
  readonly content: LLMContent;
}

export interface LLMAssistantMessage {
  readonly role: 'assistant';
  readonly content?: LLMContent | null;
  readonly toolCalls?: readonly LLMToolCall[];
}

export interface LLMToolResultMessage {
  readonly role: 'tool';
  /** The `id` of the tool call this answers. */
  readonly toolCallId: string;
  /**
   * Name of the tool. Optional: Gemini needs it and adapters look it up from the matching
   * assistant tool call when it is missing.
   */
  readonly name?: string;
  readonly content: LLMContent;
  readonly isError?: boolean;
}

export type LLMMessage = LLMSystemMessage | LLMUserMessage | LLMAssistantMessage | LLMToolResultMessage;

export type LLMRole = LLMMessage['role'];

export interface LLMTool {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments object. Defaults to an object without properties. */
  readonly parameters?: JsonSchema;
}

export type LLMToolChoice = 'auto' | 'none' | 'required' | { readonly type: 'tool'; readonly name: string };

export type LLMResponseFormat = { readonly type: 'text' } | { readonly type: 'json'; readonly schema?: JsonSchema; readonly name?: string };

export interface LLMRequest {
  readonly messages: readonly LLMMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly stop?: string | readonly string[];
  /** -2 to 2. Sent by OpenAI Chat Completions and Gemini; refused by the others. */
  readonly frequencyPenalty?: number;
  /** -2 to 2. Sent by OpenAI Chat Completions and Gemini; refused by the others. */
  readonly presencePenalty?: number;
  /** An integer for best-effort deterministic sampling. Sent by OpenAI Chat Completions and Gemini. */
  readonly seed?: number;
  readonly tools?: readonly LLMTool[];
  readonly toolChoice?: LLMToolChoice;
  readonly responseFormat?: LLMResponseFormat;
  /** Overrides the provider's default model for this call only. */
  readonly model?: string;
  /**
   * Caller's tags. Adapters forward them where the provider accepts them as they are: OpenAI
   * Responses `metadata`, Anthropic `metadata.user_id` (from the `userId` key). OpenAI Chat
   * Completions (which wants `store: true` with them) and Gemini do not get them.
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * Provider-specific parameters, in the provider's own wire names, merged into that provider's
   * request as given: `{ openai: { reasoning_effort: 'low' }, anthropic: { thinking: {…} },
   * gemini: { thinkingConfig: {…} } }`. Each adapter reads its own key and ignores the others.
   */
  readonly providerOptions?: LLMProviderOptions;
}

/** Keyed by provider: `openai`, `anthropic`, `gemini`, or a third-party provider's own name. */
export type LLMProviderOptions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Flattens content to text; image parts contribute nothing. */
export function contentText(content: LLMContent | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
