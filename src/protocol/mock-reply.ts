import { exampleFromSchema } from './json-example.js';
import type { LLMRequest, LLMToolCall } from './request.js';
import { contentText } from './request.js';
import type { LLMFinishReason, LLMResponse, LLMUsage } from './response.js';

/** A tool call in a scripted reply; the mock fills in a deterministic `id` when it is missing. */
export interface MockLLMToolCallInit {
  readonly id?: string;
  readonly name: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** A partial `LLMResponse`: anything left out is filled in deterministically. */
export interface MockLLMResponseInit {
  readonly content?: string;
  readonly toolCalls?: readonly MockLLMToolCallInit[];
  readonly finishReason?: LLMFinishReason;
  readonly model?: string;
  /** Missing counts are estimated; `totalTokens` is always recomputed so that it adds up. */
  readonly usage?: Partial<LLMUsage>;
  readonly requestId?: string;
  readonly rateLimit?: LLMResponse['rateLimit'];
  readonly raw?: unknown;
}

/** What the mock answers: text, a partial response, or an error to throw. */
export type MockLLMReply = string | MockLLMResponseInit | Error;

export interface MockLLMReplyContext {
  /** 0-based index of this call among the calls that reached the "network" (see `calls`). */
  readonly index: number;
}

export type MockLLMReplies = readonly MockLLMReply[] | ((request: LLMRequest, context: MockLLMReplyContext) => MockLLMReply | Promise<MockLLMReply>);

function lastMessage(request: LLMRequest): LLMRequest['messages'][number] | undefined {
  return request.messages[request.messages.length - 1];
}

/**
 * What `MockLLMProvider` answers without a script: JSON that fits the requested schema, a call of
 * the forced tool with example arguments, or a short text that quotes the prompt. Every answer is a
 * pure function of the request, so replays and concurrent calls stay deterministic.
 */
export function defaultMockReply(request: LLMRequest): MockLLMResponseInit {
  const last = lastMessage(request);
  const answeringToolResult = last?.role === 'tool';
  const choice = request.toolChoice;
  const tools = request.tools ?? [];
  if (!answeringToolResult && tools.length > 0 && (choice === 'required' || typeof choice === 'object')) {
    const tool = typeof choice === 'object' ? tools.find((t) => t.name === choice.name) : tools[0];
    if (tool) {
      const args = exampleFromSchema(tool.parameters ?? { type: 'object' });
      const call: Omit<LLMToolCall, 'id'> = {
        name: tool.name,
        arguments: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
      };
      return { toolCalls: [call] };
    }
  }
  if (request.responseFormat?.type === 'json') {
    return { content: JSON.stringify(exampleFromSchema(request.responseFormat.schema ?? { type: 'object' })) };
  }
  if (answeringToolResult) {
    return { content: `The tool returned: ${contentText(last.content).slice(0, 200)}` };
  }
  const prompt = contentText(last?.content ?? '').slice(0, 80);
  return { content: `Mock reply to: ${prompt}` };
}
