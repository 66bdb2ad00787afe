// The synthetic model the conformance cassettes are recorded from (through `withMockLLM`, never
// from a real API or from ../shared/fixtures). Deterministic: the same requests give
// byte-identical answers, so re-recording only changes `recordedAt`.
import type { ConformanceFault } from '../../../src/conformance/types.js';
import type { MockCall, MockScript } from '../../../src/mock/with-mock-llm.js';
import type { MockReply } from '../../../src/mock/wire/types.js';
import { exampleFromSchema } from '../../../src/protocol/json-example.js';
import type { JsonSchema } from '../../../src/protocol/request.js';
import type { Interaction } from '../../../src/types.js';

type Json = Record<string, any>;

interface Intent {
  /** The tool the request forces, if any. */
  readonly forcedTool?: { readonly name: string; readonly schema: JsonSchema | undefined } | undefined;
  /** The last message carries a tool result. */
  readonly answeringToolResult: boolean;
  readonly json: boolean;
  readonly schema?: JsonSchema | undefined;
  /** The text of the last user turn. */
  readonly lastText: string;
}

const last = <T>(list: readonly T[] | undefined): T | undefined => list?.[list.length - 1];

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: Json) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
};

/** What a request asks for, read the way its provider's API defines it. */
function intentOf(call: MockCall): Intent {
  const body = (call.body ?? {}) as Json;
  switch (call.endpoint) {
    case 'chat': {
      const tools = (body.tools ?? []) as Json[];
      const choice = body.tool_choice;
      const name = typeof choice === 'object' ? choice?.function?.name : choice === 'required' ? tools[0]?.function?.name : undefined;
      const tool = tools.find((t) => t.function?.name === name);
      const lastMessage = last(body.messages as Json[]);
      return {
        forcedTool: tool ? { name, schema: tool.function.parameters } : undefined,
        answeringToolResult: lastMessage?.role === 'tool',
        json: body.response_format?.type === 'json_schema' || body.response_format?.type === 'json_object',
        schema: body.response_format?.json_schema?.schema,
        lastText: textOf(lastMessage?.content),
      };
    }
    case 'responses': {
      const tools = (body.tools ?? []) as Json[];
      const choice = body.tool_choice;
      const name = typeof choice === 'object' ? choice?.name : choice === 'required' ? tools[0]?.name : undefined;
      const tool = tools.find((t) => t.name === name);
      const input = typeof body.input === 'string' ? [{ content: body.input }] : ((body.input ?? []) as Json[]);
      const lastItem = last(input);
      const format = body.text?.format;
      return {
        forcedTool: tool ? { name, schema: tool.parameters } : undefined,
        answeringToolResult: lastItem?.type === 'function_call_output',
        json: format?.type === 'json_schema' || format?.type === 'json_object',
        schema: format?.schema,
        lastText: textOf(lastItem?.content),
      };
    }
    case 'messages': {
      const tools = (body.tools ?? []) as Json[];
      const choice = body.tool_choice;
      const name = choice?.type === 'tool' ? choice.name : choice?.type === 'any' ? tools[0]?.name : undefined;
      const tool = tools.find((t) => t.name === name);
      const lastMessage = last(body.messages as Json[]);
      const blocks = Array.isArray(lastMessage?.content) ? (lastMessage.content as Json[]) : [];
      return {
        forcedTool: tool ? { name, schema: tool.input_schema } : undefined,
        answeringToolResult: blocks.some((b) => b.type === 'tool_result'),
        json: body.output_config?.format?.type === 'json_schema',
        schema: body.output_config?.format?.schema,
        lastText: textOf(lastMessage?.content),
      };
    }
    default: {
      // Gemini generateContent / streamGenerateContent
      const declarations = ((body.tools ?? []) as Json[]).flatMap((t) => (t.functionDeclarations ?? []) as Json[]);
      const config = body.toolConfig?.functionCallingConfig;
      const name = config?.mode === 'ANY' ? (config.allowedFunctionNames?.[0] ?? declarations[0]?.name) : undefined;
      const tool = declarations.find((d) => d.name === name);
      const parts = (last(body.contents as Json[])?.parts ?? []) as Json[];
      return {
        forcedTool: tool ? { name, schema: tool.parametersJsonSchema ?? tool.parameters } : undefined,
        answeringToolResult: parts.some((p) => p.functionResponse),
        json: body.generationConfig?.responseMimeType === 'application/json',
        schema: body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema,
        lastText: parts.map((p) => (typeof p.text === 'string' ? p.text : '')).join(''),
      };
    }
  }
}

/** Fills a schema with plausible values (`city: 'Paris'`, `answer: 'Paris'`), falling back to the generic example. */
function sampleFor(schema: JsonSchema | undefined): Json {
  const example = exampleFromSchema(schema ?? { type: 'object' });
  const value = typeof example === 'object' && example !== null && !Array.isArray(example) ? (example as Json) : {};
  for (const key of ['city', 'answer']) if (typeof value[key] === 'string') value[key] = 'Paris';
  return value;
}

/**
 * A cooperative model: calls the forced tool with arguments that fit its schema, answers JSON-mode
 * requests with a JSON object, acknowledges tool results, and otherwise says something short.
 * No chunk delays: the cassettes stay small and replay instantly.
 */
export function conformanceReply(call: MockCall): MockReply {
  const intent = intentOf(call);
  if (intent.forcedTool && !intent.answeringToolResult) {
    return { toolCalls: [{ name: intent.forcedTool.name, arguments: sampleFor(intent.forcedTool.schema) }] };
  }
  if (intent.json) {
    return JSON.stringify(intent.schema ? sampleFor(intent.schema) : { answer: 'Paris' });
  }
  if (intent.answeringToolResult) return 'It is 21 °C and clear in Paris.';
  const number = /number (\d+)/.exec(intent.lastText)?.[1];
  if (number !== undefined) return `${number}.`;
  if (intent.lastText.trim() === 'ping') return 'pong';
  if (/say hi/i.test(intent.lastText)) return 'Hi.';
  return 'Hello! Nice to meet you.';
}

export const conformanceScript: MockScript = conformanceReply;

/** The body a `malformed` cassette answers with: a 200 whose JSON stops half-way. */
export const MALFORMED_BODY = '{"id": "half a body", "choices": [';

/**
 * The script of a fault cassette. `malformed` cannot be said by a well-formed mock: it is recorded
 * as a normal answer and then cut by `faultBeforeRecord`.
 */
export function faultScript(kind: ConformanceFault): MockScript {
  return (call: MockCall): MockReply => {
    switch (kind) {
      case 'rate-limit':
        return { error: { status: 429, message: 'Rate limit reached for requests. Please try again in 2s.', retryAfter: 2 } };
      case 'timeout':
        return { error: { status: 408, message: 'Request timed out.' } };
      case 'unavailable':
        return call.provider === 'anthropic'
          ? { error: { status: 529, message: 'Overloaded' } }
          : { error: { status: 503, message: 'The service is currently unavailable.' } };
      case 'malformed':
        return conformanceReply(call);
    }
  };
}

/**
 * `beforeRecord` of a fault cassette: for `malformed`, the answer becomes a plain 200 JSON body
 * that stops half-way (also for streaming requests, as a broken gateway would send it); the
 * mock's own headers (request ids, rate limits) stay.
 */
export function faultBeforeRecord(kind: ConformanceFault): ((interaction: Interaction) => Interaction) | undefined {
  if (kind !== 'malformed') return undefined;
  return (interaction) => {
    const response = interaction.response;
    if (!response) return interaction;
    return {
      ...interaction,
      response: {
        status: 200,
        statusText: 'OK',
        headers: { ...response.headers, 'content-type': 'application/json' },
        headersAtMs: response.headersAtMs,
        body: { text: MALFORMED_BODY },
      },
    };
  };
}
