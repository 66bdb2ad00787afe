/**
 * The parts of the AI SDK's language model specification (v3: `ai` 6, v4: `ai` 7, both in
 * `@ai-sdk/provider`) that the bridge reads and writes, written out structurally: no AI SDK
 * package is a dependency, not even for types. test/types/ai-sdk-spec.test-d.ts checks that these fit
 * the real `LanguageModelV3` and `LanguageModelV4` both ways.
 */

export type SpecificationVersion = 'v3' | 'v4';

type JsonRecord = Record<string, unknown>;

/** A prompt part: the kinds the bridge reads, and any other (reasoning, custom…) that it passes over. */
export type SpecPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'file'; readonly mediaType: string; readonly data: unknown; readonly filename?: string }
  | { readonly type: 'tool-call'; readonly toolCallId: string; readonly toolName: string; readonly input: unknown; readonly providerExecuted?: boolean }
  | { readonly type: 'tool-result'; readonly toolCallId: string; readonly toolName: string; readonly output: unknown }
  | { readonly type: string };

export type SpecMessage =
  | { readonly role: 'system'; readonly content: string; readonly providerOptions?: unknown }
  | { readonly role: 'user' | 'assistant' | 'tool'; readonly content: readonly SpecPart[]; readonly providerOptions?: unknown };

export interface SpecFunctionTool {
  readonly type: 'function';
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: unknown;
}

export type SpecToolChoice = { readonly type: 'auto' | 'none' | 'required' } | { readonly type: 'tool'; readonly toolName: string };

/** What a model is called with (both versions). */
export interface SpecCallOptions {
  readonly prompt: readonly SpecMessage[];
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly stopSequences?: readonly string[] | undefined;
  readonly topP?: number | undefined;
  readonly topK?: number | undefined;
  readonly presencePenalty?: number | undefined;
  readonly frequencyPenalty?: number | undefined;
  readonly responseFormat?:
    | { readonly type: 'text' }
    | { readonly type: 'json'; readonly schema?: unknown; readonly name?: string | undefined; readonly description?: string | undefined }
    | undefined;
  readonly seed?: number | undefined;
  readonly tools?: readonly (SpecFunctionTool | { readonly type: 'provider'; readonly name: string; readonly id: string })[] | undefined;
  readonly toolChoice?: SpecToolChoice | undefined;
  readonly abortSignal?: AbortSignal | undefined;
  readonly headers?: Record<string, string | undefined> | undefined;
  readonly reasoning?: string | undefined;
  readonly providerOptions?: Record<string, JsonRecord> | undefined;
  readonly includeRawChunks?: boolean | undefined;
}

export type SpecFinishReason = {
  readonly unified: 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';
  readonly raw: string | undefined;
};

export interface SpecUsage {
  readonly inputTokens: {
    readonly total: number | undefined;
    readonly noCache: number | undefined;
    readonly cacheRead: number | undefined;
    readonly cacheWrite: number | undefined;
  };
  readonly outputTokens: { readonly total: number | undefined; readonly text: number | undefined; readonly reasoning: number | undefined };
}

export interface SpecWarning {
  readonly type: 'unsupported';
  readonly feature: string;
  readonly details?: string;
}

export type SpecContent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool-call'; readonly toolCallId: string; readonly toolName: string; readonly input: string };

export interface SpecGenerateResult {
  readonly content: SpecContent[];
  readonly finishReason: SpecFinishReason;
  readonly usage: SpecUsage;
  readonly providerMetadata?: Record<string, Record<string, string | number>>;
  readonly request?: { readonly body?: unknown };
  readonly response?: { readonly id?: string; readonly modelId?: string; readonly body?: unknown };
  readonly warnings: SpecWarning[];
}

export type SpecStreamPart =
  | { readonly type: 'stream-start'; readonly warnings: SpecWarning[] }
  | { readonly type: 'response-metadata'; readonly id?: string; readonly modelId?: string }
  | { readonly type: 'text-start' | 'text-end'; readonly id: string }
  | { readonly type: 'text-delta'; readonly id: string; readonly delta: string }
  | { readonly type: 'tool-input-start'; readonly id: string; readonly toolName: string }
  | { readonly type: 'tool-input-delta'; readonly id: string; readonly delta: string }
  | { readonly type: 'tool-input-end'; readonly id: string }
  | { readonly type: 'tool-call'; readonly toolCallId: string; readonly toolName: string; readonly input: string }
  | {
      readonly type: 'finish';
      readonly usage: SpecUsage;
      readonly finishReason: SpecFinishReason;
      readonly providerMetadata?: Record<string, Record<string, string | number>>;
    }
  | { readonly type: 'error'; readonly error: unknown };

/** A language model of either version, as `toLanguageModel` makes it. */
export interface SpecLanguageModel<V extends SpecificationVersion = SpecificationVersion> {
  readonly specificationVersion: V;
  readonly provider: string;
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]>;
  doGenerate(options: SpecCallOptions): PromiseLike<SpecGenerateResult>;
  doStream(options: SpecCallOptions): PromiseLike<{ stream: ReadableStream<SpecStreamPart>; request?: { body?: unknown } }>;
}

/** Any AI SDK language model `fromLanguageModel` accepts: specification v3 or v4, from any provider. */
export interface AnyLanguageModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  doGenerate(options: never): PromiseLike<unknown>;
  doStream(options: never): PromiseLike<{ stream: ReadableStream<unknown> }>;
}
