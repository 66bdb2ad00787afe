import type { LLMContent, LLMRequest } from '../protocol/request.js';
import { contentText } from '../protocol/request.js';
import type { SpecificationVersion } from './spec.js';

type Part = Record<string, unknown>;

/** An image part as a file part of the given specification version. */
function imagePart(part: { url?: string; data?: string; mimeType?: string }, version: SpecificationVersion): Part {
  const mediaType = part.mimeType ?? (version === 'v4' ? 'image' : 'image/*');
  if (part.url !== undefined) {
    return { type: 'file', mediaType, data: version === 'v4' ? { type: 'url', url: new URL(part.url) } : new URL(part.url) };
  }
  return { type: 'file', mediaType, data: version === 'v4' ? { type: 'data', data: part.data } : part.data };
}

function userParts(content: LLMContent, version: SpecificationVersion): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : imagePart(part, version)));
}

/** An `LLMRequest` as the call options of an AI SDK model of the given version. */
export function callFromRequest(request: LLMRequest, version: SpecificationVersion, signal: AbortSignal | undefined): Record<string, unknown> {
  const names = new Map<string, string>();
  const prompt = request.messages.map((message): Part => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return { role: 'user', content: userParts(message.content, version) };
      case 'assistant': {
        const text = contentText(message.content ?? null);
        const calls = (message.toolCalls ?? []).map((call) => {
          names.set(call.id, call.name);
          return { type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments };
        });
        return { role: 'assistant', content: [...(text === '' ? [] : [{ type: 'text', text }]), ...calls] };
      }
      default: {
        // the remaining role: `tool`
        const value = contentText(message.content);
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: message.toolCallId,
              toolName: message.name ?? names.get(message.toolCallId) ?? message.toolCallId,
              output: { type: message.isError ? 'error-text' : 'text', value },
            },
          ],
        };
      }
    }
  });
  const call: Record<string, unknown> = { prompt };
  if (request.maxTokens !== undefined) call.maxOutputTokens = request.maxTokens;
  for (const key of ['temperature', 'topP', 'presencePenalty', 'frequencyPenalty', 'seed'] as const) {
    if (request[key] !== undefined) call[key] = request[key];
  }
  if (request.stop !== undefined) call.stopSequences = typeof request.stop === 'string' ? [request.stop] : [...request.stop];
  if (request.tools?.length) {
    call.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      inputSchema: tool.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) call.toolChoice = typeof choice === 'string' ? { type: choice } : { type: 'tool', toolName: choice.name };
  if (request.responseFormat?.type === 'json') call.responseFormat = { ...request.responseFormat };
  // @note the AI SDK's own convention: keyed by provider, in that provider's option names
  if (request.providerOptions !== undefined) call.providerOptions = request.providerOptions;
  if (signal) call.abortSignal = signal;
  return call;
}
