import { LLMRequestError } from '../protocol/errors.js';
import type { LLMContentPart, LLMMessage, LLMRequest, LLMToolChoice } from '../protocol/request.js';
import type { SpecCallOptions, SpecMessage, SpecWarning } from './spec.js';

/** A prompt part with its fields readable by name. */
type Part = Readonly<Record<string, unknown>>;

/** Base64 of file data in either version's shape (v4 `{ type: 'data', data }`, v3 bytes or a base64 string). */
function base64Of(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return undefined;
}

function urlOf(data: unknown): string | undefined {
  if (data instanceof URL) return data.href;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'url') return String((data as { url: unknown }).url);
  return undefined;
}

function filePart(part: Part, provider: string, at: string): LLMContentPart {
  const mediaType = typeof part.mediaType === 'string' ? part.mediaType : '';
  if (!mediaType.startsWith('image')) {
    throw new LLMRequestError(`cassettes: ${at} is a ${mediaType || 'file'} part; an LLMProvider takes text and images only`, {
      provider,
      field: at,
      allowed: 'text or image parts',
    });
  }
  const data = part.data;
  const url = urlOf(data);
  if (url !== undefined) return { type: 'image', url, ...(mediaType.includes('/') && !mediaType.endsWith('/*') ? { mimeType: mediaType } : {}) };
  const inner = typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'data' ? (data as { data: unknown }).data : data;
  const encoded = base64Of(inner);
  if (encoded === undefined) throw new LLMRequestError(`cassettes: ${at} holds image data of an unknown shape`, { provider, field: at });
  return { type: 'image', data: encoded, mimeType: mediaType.includes('/') ? mediaType : 'image/png' };
}

/** The text of a tool result output, whatever its type. */
function outputText(output: unknown): { text: string; isError: boolean } {
  const o = (output ?? {}) as { type?: string; value?: unknown; reason?: unknown };
  switch (o.type) {
    case 'text':
    case 'error-text':
      return { text: String(o.value), isError: o.type === 'error-text' };
    case 'json':
    case 'error-json':
      return { text: JSON.stringify(o.value), isError: o.type === 'error-json' };
    case 'execution-denied':
      return { text: `Tool execution denied${typeof o.reason === 'string' ? `: ${o.reason}` : ''}.`, isError: true };
    case 'content':
      return {
        text: (Array.isArray(o.value) ? o.value : [])
          .filter((p: { type?: string }) => p.type === 'text')
          .map((p: { text?: string }) => p.text ?? '')
          .join(''),
        isError: false,
      };
    default:
      return { text: JSON.stringify(output ?? null), isError: false };
  }
}

function toolInput(input: unknown): Record<string, unknown> {
  const value = typeof input === 'string' ? (input.trim() === '' ? {} : (JSON.parse(input) as unknown)) : input;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function messagesOf(prompt: readonly SpecMessage[], provider: string): LLMMessage[] {
  const messages: LLMMessage[] = [];
  prompt.forEach((message, i) => {
    const at = `prompt[${i}]`;
    if (message.role === 'system') {
      messages.push({ role: 'system', content: message.content });
      return;
    }
    const content = message.content as unknown as readonly Part[];
    if (message.role === 'user') {
      const parts = content.map(
        (part, j): LLMContentPart => (part.type === 'text' ? { type: 'text', text: String(part.text) } : filePart(part, provider, `${at}.content[${j}]`)),
      );
      messages.push({ role: 'user', content: parts });
      return;
    }
    if (message.role === 'assistant') {
      // @note reasoning parts are the model's own scratchpad: an LLMRequest has no place for them
      const text = content
        .filter((part) => part.type === 'text')
        .map((part) => String(part.text))
        .join('');
      const toolCalls = content
        .filter((part) => part.type === 'tool-call' && part.providerExecuted !== true)
        .map((part) => ({ id: String(part.toolCallId), name: String(part.toolName), arguments: toolInput(part.input) }));
      messages.push({ role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { toolCalls } : {}) });
      return;
    }
    for (const part of content) {
      if (part.type !== 'tool-result') continue;
      const { text, isError } = outputText(part.output);
      messages.push({ role: 'tool', toolCallId: String(part.toolCallId), name: String(part.toolName), content: text, ...(isError ? { isError } : {}) });
    }
  });
  return messages;
}

/** The AI SDK's call options as an `LLMRequest`, with a warning for each setting it cannot carry. */
export function requestFromCall(options: SpecCallOptions, provider: string): { request: LLMRequest; warnings: SpecWarning[] } {
  const warnings: SpecWarning[] = [];
  const request: Record<string, unknown> = { messages: messagesOf(options.prompt, provider) };
  if (options.maxOutputTokens !== undefined) request.maxTokens = options.maxOutputTokens;
  for (const key of ['temperature', 'topP', 'presencePenalty', 'frequencyPenalty', 'seed'] as const) {
    if (options[key] !== undefined) request[key] = options[key];
  }
  if (options.stopSequences?.length) request.stop = [...options.stopSequences];
  if (options.topK !== undefined) warnings.push({ type: 'unsupported', feature: 'topK', details: 'an LLMProvider has no topK' });
  if (options.reasoning !== undefined && options.reasoning !== 'provider-default') warnings.push({ type: 'unsupported', feature: 'reasoning' });
  const tools = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === 'function') {
      tools.push({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.inputSchema as Record<string, unknown>,
      });
    } else {
      warnings.push({ type: 'unsupported', feature: `provider tool ${tool.name}` });
    }
  }
  if (tools.length > 0) request.tools = tools;
  const choice = options.toolChoice;
  if (choice && tools.length > 0) {
    request.toolChoice = (choice.type === 'tool' ? { type: 'tool', name: choice.toolName } : choice.type) satisfies LLMToolChoice;
  }
  const format = options.responseFormat;
  if (format?.type === 'json') {
    request.responseFormat = {
      type: 'json',
      ...(format.schema === undefined ? {} : { schema: format.schema }),
      ...(format.name === undefined ? {} : { name: format.name }),
    };
  }
  return { request: request as unknown as LLMRequest, warnings };
}
