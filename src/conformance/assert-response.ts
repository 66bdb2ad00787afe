import type { LLMResponse, LLMStreamEvent } from '../protocol/response.js';
import { FINISH_REASONS } from '../protocol/response.js';
import { check, describeValue } from './conformance-error.js';

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Every field an `LLMResponse` promises, with its type. */
export function assertResponse(response: unknown, where: string): asserts response is LLMResponse {
  check(typeof response === 'object' && response !== null, `${where}: expected an LLMResponse object, got ${describeValue(response)}`);
  const r = response as Partial<LLMResponse>;
  check(typeof r.content === 'string', `${where}: \`content\` must be a string, got ${describeValue(r.content)}`);
  check(Array.isArray(r.toolCalls), `${where}: \`toolCalls\` must be an array, got ${describeValue(r.toolCalls)}`);
  for (const [i, call] of r.toolCalls.entries()) {
    check(typeof call.id === 'string' && call.id !== '', `${where}: toolCalls[${i}].id must be a non-empty string`);
    check(typeof call.name === 'string' && call.name !== '', `${where}: toolCalls[${i}].name must be a non-empty string`);
    check(
      typeof call.arguments === 'object' && call.arguments !== null && !Array.isArray(call.arguments),
      `${where}: toolCalls[${i}].arguments must be a parsed object, got ${describeValue(call.arguments)}`,
    );
  }
  check(
    FINISH_REASONS.includes(r.finishReason as never),
    `${where}: \`finishReason\` must be one of ${FINISH_REASONS.join(', ')}, got ${describeValue(r.finishReason)}`,
  );
  check(typeof r.model === 'string' && r.model !== '', `${where}: \`model\` must be a non-empty string, got ${describeValue(r.model)}`);
  check(
    typeof r.latencyMs === 'number' && Number.isFinite(r.latencyMs) && r.latencyMs >= 0,
    `${where}: \`latencyMs\` must be a non-negative number, got ${describeValue(r.latencyMs)}`,
  );
  check(r.raw !== undefined && r.raw !== null, `${where}: \`raw\` must hold the provider's response, got ${describeValue(r.raw)}`);
  const usage = r.usage;
  check(typeof usage === 'object' && usage !== null, `${where}: \`usage\` must be an object, got ${describeValue(usage)}`);
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
    check(isCount(usage[key]), `${where}: usage.${key} must be a non-negative integer, got ${describeValue(usage[key])}`);
  }
  for (const key of ['cachedInputTokens', 'reasoningTokens'] as const) {
    if (usage[key] !== undefined) check(isCount(usage[key]), `${where}: usage.${key} must be a non-negative integer when present`);
  }
  check(
    usage.totalTokens === usage.inputTokens + usage.outputTokens,
    `${where}: usage.totalTokens (${usage.totalTokens}) must equal inputTokens + outputTokens (${usage.inputTokens} + ${usage.outputTokens})`,
  );
  if (usage.cachedInputTokens !== undefined) {
    check(usage.cachedInputTokens <= usage.inputTokens, `${where}: usage.cachedInputTokens cannot exceed inputTokens`);
  }
  if (usage.reasoningTokens !== undefined) {
    check(usage.reasoningTokens <= usage.outputTokens, `${where}: usage.reasoningTokens cannot exceed outputTokens`);
  }
  if (r.requestId !== undefined) check(typeof r.requestId === 'string', `${where}: \`requestId\` must be a string when present`);
}

export interface CollectedStream {
  readonly events: LLMStreamEvent[];
  readonly text: string;
  readonly response: LLMResponse;
}

/** Drains a stream and checks its framing: known event types, one final `finish`, last. */
export async function collectStream(stream: AsyncIterable<LLMStreamEvent>, where: string): Promise<CollectedStream> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  let text = '';
  const finishes = events.filter((event) => event.type === 'finish');
  check(finishes.length === 1, `${where}: expected exactly one 'finish' event, got ${finishes.length}`);
  check(events[events.length - 1]?.type === 'finish', `${where}: the 'finish' event must be the last event`);
  for (const [i, event] of events.entries()) {
    if (event.type === 'text-delta') {
      check(typeof event.text === 'string', `${where}: event #${i} (text-delta) has no string \`text\``);
      text += event.text;
    } else if (event.type === 'tool-call-delta') {
      check(Number.isInteger(event.index) && event.index >= 0, `${where}: event #${i} (tool-call-delta) needs an integer \`index\``);
      check(typeof event.argumentsDelta === 'string', `${where}: event #${i} (tool-call-delta) needs a string \`argumentsDelta\``);
    } else {
      check(event.type === 'finish', `${where}: event #${i} has an unknown type ${describeValue((event as { type?: unknown }).type)}`);
    }
  }
  const finish = finishes[0] as Extract<LLMStreamEvent, { type: 'finish' }>;
  assertResponse(finish.response, `${where} (finish.response)`);
  return { events, text, response: finish.response };
}
