import { assertResponse, collectStream } from './assert-response.js';
import type { CheckSuite } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { HELLO } from './requests.js';

/** Completion, stream, health and concurrency: what every provider must do. */
export function addBasicChecks(suite: CheckSuite): void {
  const { add, fresh } = suite;
  add('complete() returns content, model, usage (totals add up), latency and raw', async () => {
    const { provider } = await fresh();
    const response = await provider.complete(HELLO);
    assertResponse(response, 'complete()');
    check(response.content.length > 0, 'complete(): a plain prompt must produce non-empty `content`');
    check(response.toolCalls.length === 0, 'complete(): no tools were offered, so `toolCalls` must be empty');
  });

  add("complete() reports finish reason 'stop' or 'length' for a plain prompt", async () => {
    const { provider } = await fresh();
    const response = await provider.complete(HELLO);
    check(response.finishReason === 'stop' || response.finishReason === 'length', `expected 'stop' or 'length', got ${describeValue(response.finishReason)}`);
  });

  add('complete() accepts a request without options and with content parts', async () => {
    const { provider } = await fresh();
    const response = await provider.complete({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'text', text: 'Say hi.' }] },
      ],
    });
    assertResponse(response, 'complete(parts)');
  });

  add('stream() text deltas concatenate to the final content, with exactly one final finish event', async () => {
    const { provider } = await fresh();
    const { text, response, events } = await collectStream(provider.stream(HELLO), 'stream()');
    check(
      events.some((event) => event.type === 'text-delta'),
      'stream(): expected at least one text-delta event',
    );
    check(text === response.content, `stream(): deltas concatenate to ${describeValue(text)} but the final content is ${describeValue(response.content)}`);
  });

  add('healthCheck() returns { healthy: true, latencyMs, error? }', async () => {
    const { provider } = await fresh();
    const health = await provider.healthCheck();
    check(typeof health === 'object' && health !== null, `healthCheck(): expected an object, got ${describeValue(health)}`);
    check(typeof health.healthy === 'boolean', `healthCheck(): \`healthy\` must be a boolean, got ${describeValue(health.healthy)}`);
    check(
      typeof health.latencyMs === 'number' && Number.isFinite(health.latencyMs) && health.latencyMs >= 0,
      `healthCheck(): \`latencyMs\` must be a non-negative number, got ${describeValue(health.latencyMs)}`,
    );
    check(health.error === undefined || typeof health.error === 'string', 'healthCheck(): `error` must be a string when present');
    check(health.healthy, `healthCheck(): a working provider must report healthy (error: ${describeValue(health.error)})`);
  });

  add('10 concurrent calls all succeed', async () => {
    const { provider } = await fresh();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => provider.complete({ messages: [{ role: 'user', content: `Reply with the number ${i}.` }], maxTokens: 32 })),
    );
    for (const [i, response] of responses.entries()) assertResponse(response, `concurrent call #${i}`);
  });
}
