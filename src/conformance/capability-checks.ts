import { assertResponse, collectStream } from './assert-response.js';
import type { CheckSuite } from './check-support.js';
import { ConformanceError, check, describeValue } from './conformance-error.js';
import { ANSWER_REQUEST, ANSWER_SCHEMA, TOOL_REQUEST, WEATHER_TOOL } from './requests.js';

/** Tools and JSON output, for providers that declare them. */
export function addCapabilityChecks(suite: CheckSuite): void {
  const { add, fresh, capabilities } = suite;
  const noTools = capabilities.tools ? undefined : 'capabilities.tools is not declared';
  const noJson = capabilities.json ? undefined : 'capabilities.json is not declared';
  add(
    'tools: a forced tool call returns id, name and parsed arguments',
    async () => {
      const { provider } = await fresh();
      const response = await provider.complete(TOOL_REQUEST);
      assertResponse(response, 'complete(tools)');
      check(response.toolCalls.length >= 1, 'complete(tools): the forced tool call is missing from `toolCalls`');
      check(
        response.toolCalls[0]?.name === 'get_weather',
        `complete(tools): expected a call of get_weather, got ${describeValue(response.toolCalls[0]?.name)}`,
      );
      check(response.finishReason === 'tool_calls', `complete(tools): expected finishReason 'tool_calls', got ${describeValue(response.finishReason)}`);
    },
    noTools,
  );

  add(
    'tools: a tool result round-trips to a final answer',
    async () => {
      const { provider } = await fresh();
      const first = await provider.complete(TOOL_REQUEST);
      const call = first.toolCalls[0];
      check(call, 'the first turn made no tool call');
      const second = await provider.complete({
        messages: [
          ...TOOL_REQUEST.messages,
          { role: 'assistant', content: first.content === '' ? null : first.content, toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify({ temperatureC: 21, sky: 'clear' }) },
        ],
        tools: [WEATHER_TOOL],
        toolChoice: 'none',
        maxTokens: 256,
      });
      assertResponse(second, 'complete(tool result)');
      check(second.content.length > 0, 'complete(tool result): expected a text answer after the tool result');
    },
    noTools,
  );

  add(
    'tools: streamed tool-call deltas rebuild the final arguments',
    async () => {
      const { provider } = await fresh();
      const { events, response } = await collectStream(provider.stream(TOOL_REQUEST), 'stream(tools)');
      check(response.toolCalls.length >= 1, 'stream(tools): the final response has no tool call');
      const json = new Map<number, string>();
      for (const event of events) {
        if (event.type === 'tool-call-delta') json.set(event.index, (json.get(event.index) ?? '') + event.argumentsDelta);
      }
      check(json.size === response.toolCalls.length, `stream(tools): deltas name ${json.size} tool call(s), the response has ${response.toolCalls.length}`);
      response.toolCalls.forEach((call, i) => {
        const text = json.get(i) ?? '';
        let parsed: unknown;
        try {
          parsed = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          throw new ConformanceError(`cassettes conformance: stream(tools): deltas of call #${i} are not JSON: ${describeValue(text)}`);
        }
        check(
          JSON.stringify(parsed) === JSON.stringify(call.arguments),
          `stream(tools): deltas of call #${i} give ${describeValue(parsed)}, the response has ${describeValue(call.arguments)}`,
        );
      });
    },
    noTools,
  );
  add(
    'json: responseFormat json returns parseable JSON (with and without a schema)',
    async () => {
      const { provider } = await fresh();
      for (const responseFormat of [{ type: 'json', schema: ANSWER_SCHEMA, name: 'answer' } as const, { type: 'json' } as const]) {
        const response = await provider.complete({ ...ANSWER_REQUEST, responseFormat });
        assertResponse(response, 'complete(json)');
        let parsed: unknown;
        try {
          parsed = JSON.parse(response.content);
        } catch {
          throw new ConformanceError(`cassettes conformance: complete(json): content is not JSON: ${describeValue(response.content)}`);
        }
        check(typeof parsed === 'object' && parsed !== null, `complete(json): expected a JSON object, got ${describeValue(parsed)}`);
      }
    },
    noJson,
  );
}
