import { LLMRequestError } from './errors.js';
import type { LLMRequest } from './request.js';

export interface ValidateRequestOptions {
  /** Narrows ranges to what this provider accepts (`anthropic`: temperature 0–1, …). */
  readonly provider?: string;
}

interface Limits {
  readonly temperature: readonly [number, number];
  readonly maxStopSequences?: number;
}

// @note Only limits the provider documents and enforces; anything looser is left to the provider.
const DEFAULT_LIMITS: Limits = { temperature: [0, 2] };
const PROVIDER_LIMITS: Readonly<Record<string, Limits>> = {
  openai: { temperature: [0, 2], maxStopSequences: 4 },
  anthropic: { temperature: [0, 1] },
  gemini: { temperature: [0, 2], maxStopSequences: 5 },
};

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
// @note The strictest common rule: OpenAI and Anthropic both allow only these, max 64 chars.
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

type Fail = (field: string, allowed: string, got: unknown) => never;

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkContent(value: unknown, field: string, fail: Fail): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) fail(field, 'a string or an array of content parts', value);
  (value as unknown[]).forEach((part, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(part)) fail(at, "a content part ({ type: 'text' | 'image', … })", part);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') fail(`${at}.text`, 'a string', part.text);
    } else if (part.type === 'image') {
      const hasUrl = typeof part.url === 'string' && part.url !== '';
      const hasData = typeof part.data === 'string' && part.data !== '';
      if (!hasUrl && !hasData) fail(at, 'an image with a `url` or base64 `data`', part);
      if (hasData && typeof part.mimeType !== 'string') fail(`${at}.mimeType`, 'a MIME type with `data`', part.mimeType);
    } else {
      fail(`${at}.type`, "'text' or 'image'", part.type);
    }
  });
}

function checkNumber(request: Record<string, unknown>, key: string, [min, max]: readonly [number, number], fail: Fail): void {
  const value = request[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(key, `a number from ${min} to ${max}`, value);
  }
}

/**
 * Checks a request before anything is sent and throws an `LLMRequestError` naming the field and
 * what it may be. Exported so third-party providers reject exactly what the built-in ones reject.
 */
export function validateRequest(request: unknown, options: ValidateRequestOptions = {}): asserts request is LLMRequest {
  const provider = options.provider ?? 'unknown';
  const limits = PROVIDER_LIMITS[provider] ?? DEFAULT_LIMITS;
  const fail: Fail = (field, allowed, got) => {
    const forProvider = PROVIDER_LIMITS[provider] ? ` for ${provider}` : '';
    throw new LLMRequestError(`cassettes: invalid request: \`${field}\` must be ${allowed}${forProvider} (got ${describeValue(got)})`, {
      provider,
      field,
      allowed: `${allowed}${forProvider}`,
    });
  };

  if (!isRecord(request)) fail('request', 'an object with `messages`', request);
  const messages = request.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    fail('messages', 'a non-empty array of messages', messages);
  }

  const toolCallIds = new Set<string>();
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) fail(at, 'a message object', message);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      fail(`${at}.role`, "'system', 'user', 'assistant' or 'tool'", message.role);
    }
    if (message.role === 'assistant') {
      const toolCalls = message.toolCalls;
      if (toolCalls !== undefined && !Array.isArray(toolCalls)) fail(`${at}.toolCalls`, 'an array', toolCalls);
      if (message.content != null) checkContent(message.content, `${at}.content`, fail);
      const hasCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
      if (message.content == null && !hasCalls) fail(`${at}.content`, 'present unless `toolCalls` is given', message.content);
      (toolCalls ?? []).forEach((call: unknown, j: number) => {
        const callAt = `${at}.toolCalls[${j}]`;
        if (!isRecord(call)) fail(callAt, 'a tool call { id, name, arguments }', call);
        if (typeof call.id !== 'string' || call.id === '') fail(`${callAt}.id`, 'a non-empty string', call.id);
        if (typeof call.name !== 'string' || call.name === '') fail(`${callAt}.name`, 'a non-empty string', call.name);
        if (!isRecord(call.arguments)) fail(`${callAt}.arguments`, 'a parsed JSON object', call.arguments);
        toolCallIds.add(call.id);
      });
      return;
    }
    checkContent(message.content, `${at}.content`, fail);
    if (message.role === 'tool') {
      if (typeof message.toolCallId !== 'string' || message.toolCallId === '') {
        fail(`${at}.toolCallId`, 'the id of an earlier assistant tool call', message.toolCallId);
      }
      if (!toolCallIds.has(message.toolCallId)) {
        fail(`${at}.toolCallId`, 'the id of an earlier assistant tool call', message.toolCallId);
      }
    }
  });

  checkNumber(request, 'temperature', limits.temperature, fail);
  checkNumber(request, 'topP', [0, 1], fail);
  const maxTokens = request.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0)) {
    fail('maxTokens', 'an integer greater than 0', maxTokens);
  }

  const stop = request.stop;
  if (stop !== undefined) {
    const list: unknown[] = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [stop];
    if (list.some((s) => typeof s !== 'string' || s === '')) fail('stop', 'a non-empty string or an array of them', stop);
    if (limits.maxStopSequences !== undefined && list.length > limits.maxStopSequences) {
      fail('stop', `at most ${limits.maxStopSequences} sequences`, stop);
    }
  }

  const tools = request.tools;
  const toolNames = new Set<string>();
  if (tools !== undefined) {
    if (!Array.isArray(tools)) fail('tools', 'an array of tools', tools);
    tools.forEach((tool: unknown, i) => {
      const at = `tools[${i}]`;
      if (!isRecord(tool)) fail(at, 'a tool { name, description?, parameters? }', tool);
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
        fail(`${at}.name`, '1–64 characters of a–z, A–Z, 0–9, _ or -', tool.name);
      }
      if (toolNames.has(tool.name)) fail(`${at}.name`, 'unique among tools', tool.name);
      toolNames.add(tool.name);
      if (tool.description !== undefined && typeof tool.description !== 'string') {
        fail(`${at}.description`, 'a string', tool.description);
      }
      if (tool.parameters !== undefined && !isRecord(tool.parameters)) {
        fail(`${at}.parameters`, 'a JSON Schema object', tool.parameters);
      }
    });
  }

  const toolChoice = request.toolChoice;
  if (toolChoice !== undefined) {
    if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required') {
      if (toolChoice === 'required' && toolNames.size === 0) fail('toolChoice', "'required' only together with `tools`", toolChoice);
    } else if (isRecord(toolChoice) && toolChoice.type === 'tool') {
      if (typeof toolChoice.name !== 'string' || !toolNames.has(toolChoice.name)) {
        fail('toolChoice.name', 'the name of one of `tools`', toolChoice.name);
      }
    } else {
      fail('toolChoice', "'auto', 'none', 'required' or { type: 'tool', name }", toolChoice);
    }
  }

  const format = request.responseFormat;
  if (format !== undefined) {
    if (!isRecord(format) || (format.type !== 'text' && format.type !== 'json')) {
      fail('responseFormat', "{ type: 'text' } or { type: 'json', schema? }", format);
    }
    if (format.type === 'json' && format.schema !== undefined && !isRecord(format.schema)) {
      fail('responseFormat.schema', 'a JSON Schema object', format.schema);
    }
  }

  if (request.model !== undefined && (typeof request.model !== 'string' || request.model === '')) {
    fail('model', 'a non-empty string', request.model);
  }
  const metadata = request.metadata;
  if (metadata !== undefined) {
    if (!isRecord(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
      fail('metadata', 'an object of string values', metadata);
    }
  }
}
