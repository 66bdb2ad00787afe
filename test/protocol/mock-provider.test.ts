import { describe, expect, test } from 'vitest';
import { isLLMError, LLMRequestError } from '../../src/protocol/errors.js';
import { MockLLMProvider } from '../../src/protocol/mock-provider.js';
import type { LLMRequest } from '../../src/protocol/request.js';
import type { LLMStreamEvent } from '../../src/protocol/response.js';

const ask = (content: string, extra: Partial<LLMRequest> = {}): LLMRequest => ({ messages: [{ role: 'user', content }], ...extra });

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('MockLLMProvider', () => {
  test('replies are consumed in order and the last one repeats', async () => {
    const mock = new MockLLMProvider({ replies: ['one', { content: 'two', model: 'mock-2' }, 'three'] });
    const contents = [];
    for (let i = 0; i < 5; i++) contents.push((await mock.complete(ask(`q${i}`))).content);
    expect(contents).toEqual(['one', 'two', 'three', 'three', 'three']);
  });

  test('a reply function sees the request and its call index', async () => {
    const mock = new MockLLMProvider({ replies: (request, { index }) => `#${index}: ${String(request.messages[0]?.content)}` });
    expect((await mock.complete(ask('hi'))).content).toBe('#0: hi');
    expect((await mock.complete(ask('yo'))).content).toBe('#1: yo');
  });

  test('an Error reply rejects with that error', async () => {
    const boom = new Error('scripted failure');
    const mock = new MockLLMProvider({ replies: [boom, 'ok'] });
    await expect(mock.complete(ask('a'))).rejects.toBe(boom);
    expect((await mock.complete(ask('b'))).content).toBe('ok');
    expect(mock.calls.map((c) => c.status)).toEqual(['error', 'ok']);
  });

  test('usage is estimated deterministically, totals add up, explicit counts win', async () => {
    const mock = new MockLLMProvider({ replies: ['Hello there!', { content: 'x', usage: { inputTokens: 7, outputTokens: 3, cachedInputTokens: 2 } }] });
    const first = await mock.complete(ask('Say hello'));
    const again = await new MockLLMProvider({ replies: ['Hello there!'] }).complete(ask('Say hello'));
    expect(first.usage).toEqual(again.usage);
    expect(first.usage.totalTokens).toBe(first.usage.inputTokens + first.usage.outputTokens);
    expect(first.usage.outputTokens).toBe(3);
    const second = await mock.complete(ask('x'));
    expect(second.usage).toEqual({ inputTokens: 7, outputTokens: 3, totalTokens: 10, cachedInputTokens: 2 });
  });

  test('tool calls get deterministic ids and finish reason tool_calls', async () => {
    const mock = new MockLLMProvider({ replies: [{ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] }] });
    const response = await mock.complete(ask('find x'));
    expect(response.toolCalls).toEqual([{ id: 'call_mock_0_0', name: 'lookup', arguments: { q: 'x' } }]);
    expect(response.finishReason).toBe('tool_calls');
  });

  test('maxTokens cuts the text and reports length', async () => {
    const mock = new MockLLMProvider({ replies: ['a'.repeat(100)] });
    const response = await mock.complete(ask('long', { maxTokens: 5 }));
    expect(response.content).toHaveLength(20);
    expect(response.finishReason).toBe('length');
  });

  test('streams in chunks of chunkSize, deltas concatenate, one final finish', async () => {
    const mock = new MockLLMProvider({ replies: [{ content: 'Hello 🌍 world', toolCalls: [{ name: 't', arguments: { a: 1 } }] }], chunkSize: 4 });
    const events = await drain(mock.stream(ask('hi')));
    const texts = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    expect(texts).toEqual(['Hell', 'o 🌍 ', 'worl', 'd']);
    const args = events.flatMap((e) => (e.type === 'tool-call-delta' ? [e.argumentsDelta] : [])).join('');
    expect(JSON.parse(args)).toEqual({ a: 1 });
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { content: 'Hello 🌍 world' } });
  });

  test('chunk delays are honoured', async () => {
    const mock = new MockLLMProvider({ replies: ['a b c d'], chunkSize: 2, chunkDelayMs: 20 });
    const started = performance.now();
    await drain(mock.stream(ask('hi')));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  test('injected faults fail the next n calls without using up replies', async () => {
    const mock = new MockLLMProvider({ replies: ['first', 'second'] });
    mock.injectFault('rate-limit', { times: 2, retryAfterMs: 250 }).injectFault('unavailable');
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => mock.complete(ask(`q${i}`))));
    const codes = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.content : isLLMError(o.reason) ? o.reason.code : 'other'));
    expect(codes).toEqual(['LLM_RATE_LIMIT', 'LLM_RATE_LIMIT', 'LLM_PROVIDER_UNAVAILABLE', 'first', 'second']);
    const rateLimited = (outcomes[0] as PromiseRejectedResult).reason;
    expect(rateLimited).toMatchObject({ status: 429, retryAfterMs: 250, provider: 'mock' });
    expect(mock.calls.map((c) => c.fault)).toEqual(['rate-limit', 'rate-limit', 'unavailable', undefined, undefined]);
  });

  test('faults also fail streams, before any event', async () => {
    const mock = new MockLLMProvider().injectFault('malformed');
    await expect(drain(mock.stream(ask('hi')))).rejects.toMatchObject({ code: 'LLM_MALFORMED_RESPONSE' });
    expect(mock.calls[0]?.status).toBe('error');
  });

  test('concurrent calls are answered in call order whatever finishes first', async () => {
    const mock = new MockLLMProvider({
      replies: async (request, { index }) => {
        await new Promise((resolve) => setTimeout(resolve, (5 - index) * 5));
        return `reply ${index} to ${String(request.messages[0]?.content)}`;
      },
    });
    const responses = await Promise.all([0, 1, 2, 3, 4].map((i) => mock.complete(ask(`q${i}`))));
    expect(responses.map((r) => r.content)).toEqual([0, 1, 2, 3, 4].map((i) => `reply ${i} to q${i}`));
    expect(mock.calls.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
  });

  test('the call log keeps a snapshot of each request; invalid requests never reach it', async () => {
    const mock = new MockLLMProvider();
    const request = { messages: [{ role: 'user' as const, content: 'Hi' }], temperature: 0.2 };
    await mock.complete(request);
    await expect(mock.complete({ ...request, temperature: 9 })).rejects.toBeInstanceOf(LLMRequestError);
    expect(mock.calls).toHaveLength(1);
    expect(mock.calls[0]).toMatchObject({ index: 0, method: 'complete', status: 'ok', request });
    expect(mock.calls[0]?.request).not.toBe(request);
  });

  test('aborted calls are logged as aborted', async () => {
    const mock = new MockLLMProvider({ latencyMs: 50 });
    const controller = new AbortController();
    const pending = mock.complete(ask('hi'), { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(mock.calls[0]?.status).toBe('aborted');
  });

  test('health is configurable', async () => {
    const mock = new MockLLMProvider({ health: { healthy: false, error: 'maintenance' } });
    expect(await mock.healthCheck()).toMatchObject({ healthy: false, error: 'maintenance' });
    mock.setHealth(() => ({ healthy: true, latencyMs: 12 }));
    expect(await mock.healthCheck()).toEqual({ healthy: true, latencyMs: 12 });
  });

  test('without a script: JSON for JSON mode, the forced tool, a tool-result acknowledgement', async () => {
    const mock = new MockLLMProvider();
    const json = await mock.complete(
      ask('json please', {
        responseFormat: {
          type: 'json',
          schema: { type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } } },
        },
      }),
    );
    expect(JSON.parse(json.content)).toEqual({ n: 0, tags: ['example'] });
    const tools = [{ name: 'pick', parameters: { type: 'object', properties: { color: { enum: ['red', 'blue'] } } } }];
    const forced = await mock.complete(ask('pick', { tools, toolChoice: { type: 'tool', name: 'pick' } }));
    expect(forced.toolCalls[0]).toMatchObject({ name: 'pick', arguments: { color: 'red' } });
    const answered = await mock.complete({
      messages: [
        { role: 'user', content: 'pick' },
        { role: 'assistant', toolCalls: forced.toolCalls },
        { role: 'tool', toolCallId: forced.toolCalls[0]!.id, content: 'red it is' },
      ],
      tools,
    });
    expect(answered.content).toBe('The tool returned: red it is');
  });
});

describe('MockLLMProvider factories', () => {
  test('fixed(text) always answers text; options come last', async () => {
    const mock = MockLLMProvider.fixed('Always this', { name: 'fixed-mock', model: 'fx-1' });
    expect(await mock.generate('a')).toBe('Always this');
    expect(await mock.generate('b')).toBe('Always this');
    expect(mock).toMatchObject({ name: 'fixed-mock', model: 'fx-1', callCount: 2 });
  });

  test('sequence(replies) answers in order and repeats the last; an empty sequence is refused', async () => {
    const mock = MockLLMProvider.sequence(['one', { content: 'two' }, 'three']);
    const got = [];
    for (let i = 0; i < 5; i++) got.push(await mock.generate(`q${i}`));
    expect(got).toEqual(['one', 'two', 'three', 'three', 'three']);
    expect(() => MockLLMProvider.sequence([])).toThrow(expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS' }));
  });

  test('echo() answers with the last user message, also after a tool turn and from parts', async () => {
    const mock = MockLLMProvider.echo({ chunkSize: 2 });
    expect(await mock.generate('Hello, echo')).toBe('Hello, echo');
    const parts = await mock.complete({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'from ' },
            { type: 'text', text: 'parts' },
          ],
        },
      ],
    });
    expect(parts.content).toBe('from parts');
    const events = await drain(mock.stream(ask('streamed')));
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)).toEqual(['st', 're', 'am', 'ed']);
    expect(await mock.generate({ messages: [{ role: 'system', content: 'only a system prompt' }] })).toBe('');
  });

  test.each([
    ['rate-limit', 'LLM_RATE_LIMIT', 429],
    ['timeout', 'LLM_TIMEOUT', undefined],
    ['unavailable', 'LLM_PROVIDER_UNAVAILABLE', 503],
    ['malformed', 'LLM_MALFORMED_RESPONSE', 200],
    ['authentication', 'LLM_AUTHENTICATION', 401],
    ['invalid-request', 'LLM_INVALID_REQUEST', 400],
  ] as const)('failing(%s) fails every call with %s, from complete() and stream()', async (kind, code, status) => {
    const mock = MockLLMProvider.failing(kind);
    for (let i = 0; i < 3; i++) {
      const error = await mock.complete(ask('x')).catch((e: unknown) => e);
      expect(isLLMError(error, code)).toBe(true);
      expect(error).toMatchObject({ provider: 'mock', status });
    }
    await expect(drain(mock.stream(ask('x')))).rejects.toMatchObject({ code });
    expect(mock.callCount).toBe(4);
    expect(mock.calls.every((c) => c.fault === kind && c.status === 'error')).toBe(true);
  });

  test('failing(kind, { times, retryAfterMs }, options) fails the first `times` calls, then answers', async () => {
    const mock = MockLLMProvider.failing('rate-limit', { times: 2, retryAfterMs: 20_000 }, { replies: ['finally'] });
    const first = await mock.complete(ask('x')).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'LLM_RATE_LIMIT', retryAfterMs: 20_000 });
    await expect(mock.complete(ask('x'))).rejects.toMatchObject({ code: 'LLM_RATE_LIMIT' });
    expect(await mock.generate('x')).toBe('finally');
  });

  test('toolCalling(name, args, then) calls the tool, then answers the tool result with `then`', async () => {
    const mock = MockLLMProvider.toolCalling('get_weather', { city: 'Paris' }, 'It is sunny in Paris.');
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = await mock.complete(ask('Weather in Paris?', { tools }));
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([{ id: 'call_mock_0_0', name: 'get_weather', arguments: { city: 'Paris' } }]);
    const second = await mock.complete({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_mock_0_0', content: '{"sky":"clear"}' },
      ],
      tools,
    });
    expect(second).toMatchObject({ content: 'It is sunny in Paris.', finishReason: 'stop', toolCalls: [] });
    // a new conversation calls the tool again
    expect((await mock.complete(ask('And in Rome?', { tools }))).toolCalls[0]?.name).toBe('get_weather');
    const acknowledging = MockLLMProvider.toolCalling('lookup');
    const call = (await acknowledging.complete(ask('look'))).toolCalls[0]!;
    expect(call.arguments).toEqual({});
    const done = await acknowledging.complete({
      messages: [
        { role: 'user', content: 'look' },
        { role: 'assistant', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, content: 'found it' },
      ],
    });
    expect(done.content).toBe('The tool returned: found it');
  });

  test('slow({ latencyMs, chunkDelayMs }) takes that long before the answer and between chunks', async () => {
    const mock = MockLLMProvider.slow({ latencyMs: 40, chunkDelayMs: 15 }, { replies: ['abcdef'], chunkSize: 2 });
    let started = performance.now();
    await mock.generate('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    started = performance.now();
    const times: number[] = [];
    for await (const event of mock.stream(ask('x'))) if (event.type === 'text-delta') times.push(performance.now() - started);
    expect(times).toHaveLength(3);
    expect(times[0]!).toBeGreaterThanOrEqual(38);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(28);
  });

  test('a reply may fail by HTTP status, classified like the adapters; it uses up its reply', async () => {
    const mock = MockLLMProvider.sequence([{ error: { status: 404, message: 'no such model' } }, { error: { status: 529 } }, 'ok']);
    await expect(mock.complete(ask('x'))).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', status: 404, message: 'no such model' });
    await expect(mock.complete(ask('x'))).rejects.toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', status: 529 });
    expect(await mock.generate('x')).toBe('ok');
  });

  test('a reply chunkDelayMs overrides the option for that answer', async () => {
    const mock = new MockLLMProvider({ replies: [{ content: 'abcd', chunkDelayMs: 30 }], chunkSize: 1, chunkDelayMs: 0 });
    const started = performance.now();
    await drain(mock.stream(ask('x')));
    expect(performance.now() - started).toBeGreaterThanOrEqual(85);
  });

  test('injectFault refuses a count that is not a positive integer (or Infinity)', () => {
    const mock = new MockLLMProvider();
    for (const times of [0, -1, 1.5, Number.NaN]) {
      expect(() => mock.injectFault('timeout', { times })).toThrow(expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS' }));
    }
    expect(() => mock.injectFault('timeout', { times: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  test('reset() forgets calls, faults, the reply position and the usage totals', async () => {
    const mock = MockLLMProvider.sequence(['a', 'b']).injectFault('timeout', { times: 5 });
    await mock.generate('x').catch(() => undefined);
    mock.reset();
    expect(mock.callCount).toBe(0);
    expect(await mock.generate('x')).toBe('a');
    expect(mock.tokenUsage.calls).toBe(1);
    mock.reset();
    expect(mock.tokenUsage.calls).toBe(0);
  });
});
