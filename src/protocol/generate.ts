import type { LLMValidationIssue } from './errors.js';
import { LLMRequestError, LLMResponseError } from './errors.js';
import type { GenerateOptions, GenerateStructuredOptions, LLMCallOptions } from './provider.js';
import type { LLMMessage, LLMRequest } from './request.js';
import type { LLMResponse } from './response.js';
import type { StandardSchemaV1, StructuredSchema } from './structured-schema.js';
import { ajvIssues, isStandardSchema, jsonSchemaOf, jsonSchemaValidator, validateStandard } from './structured-schema.js';

type Complete = (request: LLMRequest, options?: LLMCallOptions) => Promise<LLMResponse>;

const OVERRIDES = ['model', 'temperature', 'maxTokens', 'topP', 'stop', 'seed', 'providerOptions'] as const;

/** `prompt` and `options` as one request: the options' fields win, `system` goes first. */
export function requestFor(prompt: string | LLMRequest, options: GenerateOptions = {}): LLMRequest {
  const base: LLMRequest = typeof prompt === 'string' ? { messages: [{ role: 'user', content: prompt }] } : prompt;
  const messages: LLMMessage[] = options.system === undefined ? [...base.messages] : [{ role: 'system', content: options.system }, ...base.messages];
  const request: Record<string, unknown> = { ...base, messages };
  for (const key of OVERRIDES) if (options[key] !== undefined) request[key] = options[key];
  return request as unknown as LLMRequest;
}

function callOptions(options: GenerateOptions): LLMCallOptions {
  return options.signal ? { signal: options.signal } : {};
}

export async function generateText(complete: Complete, prompt: string | LLMRequest, options: GenerateOptions = {}): Promise<string> {
  const response = await complete(requestFor(prompt, options), callOptions(options));
  return response.content;
}

/** The JSON in an answer; a Markdown code fence around it (some models add one) is tolerated. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? (fenced[1] as string) : text) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function describeIssues(issues: readonly LLMValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'it does not match the schema';
  const where = first.path.length > 0 ? `\`${first.path.join('.')}\`: ` : '';
  return `${where}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
}

/**
 * Asks for JSON that fits `schema` (natively: `responseFormat: { type: 'json', schema }`), then
 * parses and validates the answer. Not JSON, or not valid: `LLMResponseError` with the raw text
 * and the issues.
 */
export async function generateStructuredValue<T>(
  complete: Complete,
  provider: string,
  prompt: string | LLMRequest,
  schema: StructuredSchema<T>,
  options: GenerateStructuredOptions = {},
): Promise<T> {
  const standard = isStandardSchema(schema);
  if (!standard && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new LLMRequestError('cassettes: generateStructured needs a Standard Schema (zod, valibot, arktype…) or a JSON Schema object', {
      provider,
      field: 'schema',
      allowed: 'a Standard Schema or a JSON Schema object',
    });
  }
  // compiled before the call: a schema that cannot be checked must not cost a request
  const validateJson = standard ? undefined : await jsonSchemaValidator(schema as Record<string, unknown>, provider);
  const jsonSchema = jsonSchemaOf(schema);
  const base = requestFor(prompt, options);
  const request: LLMRequest = {
    ...base,
    responseFormat: { type: 'json', ...(jsonSchema ? { schema: jsonSchema } : {}), ...(options.name === undefined ? {} : { name: options.name }) },
  };
  const response = await complete(request, callOptions(options));
  const text = response.content;
  const meta = { provider, requestId: response.requestId, text };
  const parsed = parseJson(text);
  if (!parsed.ok) {
    throw new LLMResponseError(`cassettes: ${provider} answered text that is not JSON (${parsed.reason}): ${JSON.stringify(text.slice(0, 200))}`, {
      ...meta,
      issues: [{ message: `not JSON: ${parsed.reason}`, path: [] }],
    });
  }
  let issues: LLMValidationIssue[];
  if (standard) {
    const result = await validateStandard(schema as StandardSchemaV1<unknown, T>, parsed.value);
    if ('value' in result) return result.value;
    issues = result.issues;
  } else {
    if ((validateJson as NonNullable<typeof validateJson>)(parsed.value)) return parsed.value as T;
    issues = ajvIssues(validateJson as NonNullable<typeof validateJson>);
  }
  throw new LLMResponseError(`cassettes: ${provider} answered JSON that does not match the schema: ${describeIssues(issues)}`, { ...meta, issues });
}
