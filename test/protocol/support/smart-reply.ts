import { exampleFromSchema } from '../../../src/protocol/json-example.js';
import type { MockReply } from '../../../src/protocol/mock-reply.js';
import { intentOf } from './request-intent.js';
import type { WireRequest } from './wire-server.js';

/**
 * Plays a cooperative model: calls a forced tool with arguments that fit its schema, answers
 * JSON-mode requests with JSON, otherwise a short deterministic sentence.
 */
export function smartReply(request: WireRequest): MockReply {
  const intent = intentOf(request.target.endpoint, request.body);
  if (intent.forcedTool && !intent.answeringToolResult) {
    const args = exampleFromSchema(intent.forcedTool.schema ?? { type: 'object' }) as Record<string, unknown>;
    return { toolCalls: [{ name: intent.forcedTool.name, arguments: args }] };
  }
  if (intent.json) return JSON.stringify(exampleFromSchema(intent.schema ?? { type: 'object', properties: { answer: { type: 'string' } } }));
  if (intent.answeringToolResult) return 'The tool says it is 21 °C and clear in Paris.';
  return `Hello! You said: ${intent.lastText.slice(0, 40)}`;
}
