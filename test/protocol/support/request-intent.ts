import type { WireEndpoint } from '../../../src/mock/wire/types.js';
import type { JsonSchema } from '../../../src/protocol/request.js';

// What a provider request asks a cooperative model for; shared by the wire server's replies and
// the script that records the conformance cassettes.

export type Json = Record<string, any>;

export interface Intent {
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
export function intentOf(endpoint: WireEndpoint, requestBody: unknown): Intent {
  const body = (requestBody ?? {}) as Json;
  switch (endpoint) {
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
