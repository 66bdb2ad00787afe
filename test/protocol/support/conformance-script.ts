// The synthetic model the conformance cassettes are recorded from (through `withMockLLM`, never
// from a real API or from ../shared/fixtures). Deterministic: the same requests give
// byte-identical answers, so re-recording only changes `recordedAt`.

import type { WireMockCall, WireMockScript } from '../../../src/mock/with-mock-llm.js';
import type { LLMFaultKind } from '../../../src/protocol/faults.js';
import { exampleFromSchema } from '../../../src/protocol/json-example.js';
import type { MockReply } from '../../../src/protocol/mock-reply.js';
import type { JsonSchema } from '../../../src/protocol/request.js';
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
export function conformanceReply(call: WireMockCall): MockReply {
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

export const conformanceScript: WireMockScript = conformanceReply;

/**
 * The script of a fault cassette: every request fails the way `kind` says, in its provider's own
 * wire format (a rate limit asks for 2 s).
 */
export function faultScript(kind: LLMFaultKind): WireMockScript {
  return (): MockReply => ({ error: kind === 'rate-limit' ? { kind, retryAfterMs: 2000 } : kind });
}
