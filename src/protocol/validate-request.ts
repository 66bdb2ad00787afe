import { LLMRequestError } from './errors.js';
import type { LLMRequest } from './request.js';
import type { Fail } from './validate-messages.js';
import { checkKeys, checkMessages, isRecord } from './validate-messages.js';

/** The default output limit: above it `maxTokens` is refused unless `maxOutputTokens` says more. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 32_768;

export interface ValidateRequestOptions {
  /** Narrows ranges to what this provider accepts (`anthropic`: temperature 0–1, …). */
  readonly provider?: string;
  /** The largest `maxTokens` this provider and model can produce (default 32 768). */
  readonly maxOutputTokens?: number;
  /** Request fields this provider has no parameter for: refused instead of dropped. */
  readonly unsupported?: readonly (keyof LLMRequest)[];
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

/** Every field of `LLMRequest`: anything else is refused. */
export const REQUEST_KEYS: readonly (keyof LLMRequest)[] = [
  'messages',
  'temperature',
  'maxTokens',
  'topP',
  'stop',
  'frequencyPenalty',
  'presencePenalty',
  'seed',
  'tools',
  'toolChoice',
  'responseFormat',
  'model',
  'metadata',
  'providerOptions',
];

// @note The strictest common rule: OpenAI and Anthropic both allow only these, max 64 chars.
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function checkNumber(request: Record<string, unknown>, key: string, [min, max]: readonly [number, number], fail: Fail): void {
  const value = request[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(key, `a number from ${min} to ${max}`, value);
  }
}

function checkTools(request: Record<string, unknown>, fail: Fail): Set<string> {
  const tools = request.tools;
  const toolNames = new Set<string>();
  if (tools === undefined) return toolNames;
  if (!Array.isArray(tools)) fail('tools', 'an array of tools', tools);
  tools.forEach((tool: unknown, i) => {
    const at = `tools[${i}]`;
    if (!isRecord(tool)) fail(at, 'a tool { name, description?, parameters? }', tool);
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      fail(`${at}.name`, '1–64 characters of a–z, A–Z, 0–9, _ or -', tool.name);
    }
    if (toolNames.has(tool.name)) fail(`${at}.name`, 'unique among tools', tool.name);
    toolNames.add(tool.name);
    if (tool.description !== undefined && typeof tool.description !== 'string') fail(`${at}.description`, 'a string', tool.description);
    if (tool.parameters !== undefined && !isRecord(tool.parameters)) fail(`${at}.parameters`, 'a JSON Schema object', tool.parameters);
    checkKeys(tool, ['name', 'description', 'parameters'], at, fail);
  });
  return toolNames;
}

function checkToolChoice(toolChoice: unknown, toolNames: Set<string>, fail: Fail): void {
  if (toolChoice === undefined) return;
  if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required') {
    if (toolChoice === 'required' && toolNames.size === 0) fail('toolChoice', "'required' only together with `tools`", toolChoice);
  } else if (isRecord(toolChoice) && toolChoice.type === 'tool') {
    if (typeof toolChoice.name !== 'string' || !toolNames.has(toolChoice.name)) fail('toolChoice.name', 'the name of one of `tools`', toolChoice.name);
  } else {
    fail('toolChoice', "'auto', 'none', 'required' or { type: 'tool', name }", toolChoice);
  }
}

function checkLength(request: Record<string, unknown>, limit: number, fail: Fail): void {
  const maxTokens = request.maxTokens;
  if (maxTokens === undefined) return;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) fail('maxTokens', 'an integer greater than 0', maxTokens);
  if (maxTokens > limit) {
    fail('maxTokens', `at most ${limit}, the output limit (raise it with the provider's \`maxOutputTokens\` option)`, maxTokens);
  }
}

/**
 * Refuses the request fields a provider has no parameter for, naming the field and the provider
 * (`by`: how to call it in the message, e.g. `the OpenAI Responses API`).
 */
export function refuseUnsupported(request: object, fields: readonly (keyof LLMRequest)[], provider: string, by = provider): void {
  for (const field of fields) {
    if ((request as Record<string, unknown>)[field] !== undefined) {
      throw new LLMRequestError(`cassettes: invalid request: \`${field}\` is not supported by ${by} (leave it out, or use a provider that has it)`, {
        provider,
        field,
        allowed: `not supported by ${by}`,
      });
    }
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
  checkMessages(request.messages, fail);
  checkKeys(request, REQUEST_KEYS, '', fail);
  refuseUnsupported(request, options.unsupported ?? [], provider);

  checkNumber(request, 'temperature', limits.temperature, fail);
  checkNumber(request, 'topP', [0, 1], fail);
  checkNumber(request, 'frequencyPenalty', [-2, 2], fail);
  checkNumber(request, 'presencePenalty', [-2, 2], fail);
  if (request.seed !== undefined && !Number.isSafeInteger(request.seed)) fail('seed', 'an integer', request.seed);
  checkLength(request, options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, fail);

  const stop = request.stop;
  if (stop !== undefined) {
    const list: unknown[] = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [stop];
    if (list.some((s) => typeof s !== 'string' || s === '')) fail('stop', 'a non-empty string or an array of them', stop);
    if (limits.maxStopSequences !== undefined && list.length > limits.maxStopSequences) {
      fail('stop', `at most ${limits.maxStopSequences} sequences`, stop);
    }
  }

  checkToolChoice(request.toolChoice, checkTools(request, fail), fail);

  const format = request.responseFormat;
  if (format !== undefined) {
    if (!isRecord(format) || (format.type !== 'text' && format.type !== 'json')) {
      fail('responseFormat', "{ type: 'text' } or { type: 'json', schema?, name? }", format);
    }
    if (format.type === 'json' && format.schema !== undefined && !isRecord(format.schema)) fail('responseFormat.schema', 'a JSON Schema object', format.schema);
    if (format.name !== undefined && typeof format.name !== 'string') fail('responseFormat.name', 'a string', format.name);
    checkKeys(format, ['type', 'schema', 'name'], 'responseFormat', fail);
  }

  if (request.model !== undefined && (typeof request.model !== 'string' || request.model === '')) fail('model', 'a non-empty string', request.model);
  const metadata = request.metadata;
  if (metadata !== undefined && (!isRecord(metadata) || Object.values(metadata).some((v) => typeof v !== 'string'))) {
    fail('metadata', 'an object of string values', metadata);
  }
  const providerOptions = request.providerOptions;
  if (providerOptions !== undefined) {
    if (!isRecord(providerOptions)) fail('providerOptions', 'an object keyed by provider (`openai`, `anthropic`, `gemini`, …)', providerOptions);
    for (const [key, value] of Object.entries(providerOptions)) {
      if (!isRecord(value)) fail(`providerOptions.${key}`, "an object of that provider's own request fields", value);
    }
  }
}
