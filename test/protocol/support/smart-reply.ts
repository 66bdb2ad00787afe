import { exampleFromSchema } from '../../../src/protocol/json-example.js';
import type { JsonSchema } from '../../../src/protocol/request.js';
import type { MockReply } from '../../../src/mock/wire/types.js';
import type { WireRequest } from './wire-server.js';

type Json = Record<string, any>;

interface Intent {
  forcedTool?: { name: string; schema: JsonSchema | undefined } | undefined;
  answeringToolResult: boolean;
  json: boolean;
  schema?: JsonSchema | undefined;
  lastText: string;
}

function last<T>(list: readonly T[] | undefined): T | undefined {
  return list?.[list.length - 1];
}

/** What each provider's request body asks for, read the way that provider's API defines it. */
function intentOf(request: WireRequest): Intent {
  const body = (request.body ?? {}) as Json;
  switch (request.target.endpoint) {
    case 'chat': {
      const tools = (body.tools ?? []) as Json[];
      const choice = body.tool_choice;
      const name = typeof choice === 'object' ? choice.function?.name : choice === 'required' ? tools[0]?.function?.name : undefined;
      const tool = tools.find((t) => t.function?.name === name);
      const format = body.response_format;
      const lastMessage = last(body.messages as Json[]);
      return {
        forcedTool: tool ? { name, schema: tool.function.parameters } : undefined,
        answeringToolResult: lastMessage?.role === 'tool',
        json: format?.type === 'json_schema' || format?.type === 'json_object',
        schema: format?.json_schema?.schema,
        lastText: typeof lastMessage?.content === 'string' ? lastMessage.content : JSON.stringify(lastMessage?.content ?? ''),
      };
    }
    case 'responses': {
      const tools = (body.tools ?? []) as Json[];
      const choice = body.tool_choice;
      const name = typeof choice === 'object' ? choice.name : choice === 'required' ? tools[0]?.name : undefined;
      const tool = tools.find((t) => t.name === name);
      const format = body.text?.format;
      const lastItem = last(body.input as Json[]);
      return {
        forcedTool: tool ? { name, schema: tool.parameters } : undefined,
        answeringToolResult: lastItem?.type === 'function_call_output',
        json: format?.type === 'json_schema' || format?.type === 'json_object',
        schema: format?.schema,
        lastText: typeof lastItem?.content === 'string' ? lastItem.content : '',
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
        lastText: typeof lastMessage?.content === 'string' ? lastMessage.content : (blocks[0]?.text ?? ''),
      };
    }
    default: {
      const declarations = ((body.tools ?? []) as Json[]).flatMap((t) => (t.functionDeclarations ?? []) as Json[]);
      const config = body.toolConfig?.functionCallingConfig;
      const name = config?.mode === 'ANY' ? (config.allowedFunctionNames?.[0] ?? declarations[0]?.name) : undefined;
      const tool = declarations.find((d) => d.name === name);
      const lastContent = last(body.contents as Json[]);
      const parts = (lastContent?.parts ?? []) as Json[];
      return {
        forcedTool: tool ? { name, schema: tool.parametersJsonSchema ?? tool.parameters } : undefined,
        answeringToolResult: parts.some((p) => p.functionResponse),
        json: body.generationConfig?.responseMimeType === 'application/json',
        schema: body.generationConfig?.responseJsonSchema,
        lastText: parts.map((p) => p.text ?? '').join(''),
      };
    }
  }
}

/**
 * Plays a cooperative model: calls a forced tool with arguments that fit its schema, answers
 * JSON-mode requests with JSON, otherwise a short deterministic sentence.
 */
export function smartReply(request: WireRequest): MockReply {
  const intent = intentOf(request);
  if (intent.forcedTool && !intent.answeringToolResult) {
    const args = exampleFromSchema(intent.forcedTool.schema ?? { type: 'object' }) as object;
    return { toolCalls: [{ name: intent.forcedTool.name, arguments: args }] };
  }
  if (intent.json) return JSON.stringify(exampleFromSchema(intent.schema ?? { type: 'object', properties: { answer: { type: 'string' } } }));
  if (intent.answeringToolResult) return 'The tool says it is 21 °C and clear in Paris.';
  return `Hello! You said: ${intent.lastText.slice(0, 40)}`;
}
