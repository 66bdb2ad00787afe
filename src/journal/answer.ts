import { storedJson } from '../match/stored-json.js';
import { type AnswerSummary, readAnswer, readStreamAnswer, targetOf } from '../providers/recorded-call.js';
import { recordedEvents } from '../stream/recorded-events.js';
import type { Interaction } from '../types.js';

export type { AnswerSummary } from '../providers/recorded-call.js';

/**
 * What a recorded OpenAI, Anthropic or Gemini response said — its text, tool calls (arguments as
 * JSON text), usage and finish reason — assembled from a stream's chunks by the same adapters the
 * provider interface uses; undefined for other APIs, errors and failed requests. For assertions
 * on what the model said, with `readCassette`.
 */
export async function answerOf(interaction: Interaction): Promise<AnswerSummary | undefined> {
  const { request, response } = interaction;
  if (!response || response.status >= 400) return undefined;
  const target = targetOf(request.method, request.url);
  if (!target) return undefined;
  const events = recordedEvents(response);
  return events ? readStreamAnswer(target, events) : readAnswer(target, storedJson(response.body));
}
