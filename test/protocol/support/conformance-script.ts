// The synthetic model the conformance cassettes are recorded from (through `withMockLLM`, never
// from a real API or from ../shared/fixtures). Deterministic: the same requests give
// byte-identical answers, so re-recording only changes `recordedAt`.
import type { ConformanceFault } from '../../../src/conformance/types.js';
import type { MockReply } from '../../../src/mock/wire/types.js';
import type { MockCall, MockScript } from '../../../src/mock/with-mock-llm.js';
import { exampleFromSchema } from '../../../src/protocol/json-example.js';
import type { JsonSchema } from '../../../src/protocol/request.js';
import type { Interaction } from '../../../src/types.js';
import { intentOf, type Json } from './request-intent.js';

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
  const intent = intentOf(call.endpoint, call.body);
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
