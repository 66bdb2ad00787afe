import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FallbackEvent, LLMRequest, LLMStreamEvent } from '../../src/entries/provider.js';
import { anthropicProvider, isLLMError, MockLLMProvider, openaiProvider, withCircuitBreaker, withFallback, withRetry } from '../../src/entries/provider.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import { anthropicClient, openaiClient } from '../protocol/support/sdk-clients.js';
import type { WireServer } from '../protocol/support/wire-server.js';
import { startWireServer } from '../protocol/support/wire-server.js';

const HI: LLMRequest = { messages: [{ role: 'user', content: 'Hi' }] };

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('withFallback', () => {
  test('moves on after a retryable failure and says who answered', async () => {
    const primary = MockLLMProvider.failing('unavailable', {}, { name: 'primary' });
    const secondary = MockLLMProvider.fixed('from the secondary', { name: 'secondary' });
    const moves: FallbackEvent[] = [];
    const provider = withFallback([primary, secondary], { onFallback: (event) => moves.push(event) });
    const response = await provider.complete(HI);
    expect(response).toMatchObject({ content: 'from the secondary', provider: 'secondary' });
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ from: 'primary', to: 'secondary', error: { code: 'LLM_PROVIDER_UNAVAILABLE' } });
    expect(provider.name).toBe('fallback(primary, secondary)');
    expect(provider.tokenUsage.calls).toBe(1);
  });

  test('skips a provider that is not available, without calling it', async () => {
    const down = new MockLLMProvider({ name: 'down', health: { healthy: false, error: 'maintenance' } });
    const up = MockLLMProvider.fixed('up', { name: 'up' });
    const moves: FallbackEvent[] = [];
    const response = await withFallback([down, up], { onFallback: (e) => moves.push(e) }).complete(HI);
    expect(response.provider).toBe('up');
    expect(down.callCount).toBe(0);
    expect(moves[0]).toMatchObject({ from: 'down', to: 'up', error: { code: 'LLM_PROVIDER_UNAVAILABLE', message: expect.stringMatching(/not available/) } });
  });

  test('an answer from the primary never touches the others', async () => {
    const primary = MockLLMProvider.fixed('primary answer', { name: 'p' });
    const secondary = MockLLMProvider.fixed('unused', { name: 's' });
    expect((await withFallback([primary, secondary]).complete(HI)).provider).toBe('p');
    expect(secondary.callCount).toBe(0);
  });

  test.each(['authentication', 'invalid-request', 'malformed'] as const)(
    'a %s failure is thrown at once: the next provider would fail the same way',
    async (kind) => {
      const primary = MockLLMProvider.failing(kind, {}, { name: 'p' });
      const secondary = MockLLMProvider.fixed('unused', { name: 's' });
      await expect(withFallback([primary, secondary]).complete(HI)).rejects.toMatchObject({ provider: 'p' });
      expect(secondary.callCount).toBe(0);
    },
  );

  test('when every provider fails, the last failure is thrown; when none is available, an LLMProviderUnavailableError says so', async () => {
    const a = MockLLMProvider.failing('rate-limit', {}, { name: 'a' });
    const b = MockLLMProvider.failing('timeout', {}, { name: 'b' });
    await expect(withFallback([a, b]).complete(HI)).rejects.toMatchObject({ code: 'LLM_TIMEOUT', provider: 'b' });
    const downA = new MockLLMProvider({ name: 'a', health: { healthy: false } });
    const downB = new MockLLMProvider({ name: 'b', health: { healthy: false } });
    const none = withFallback([downA, downB]);
    const error = await none.complete(HI).catch((e: unknown) => e);
    expect(isLLMError(error, 'LLM_PROVIDER_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/no provider of fallback\(a, b\) is available \(a, b skipped/);
    expect(await none.isAvailable()).toBe(false);
    expect(await none.healthCheck()).toMatchObject({ healthy: false, error: 'a: unhealthy; b: unhealthy' });
  });

  test('streams move on only before their first event', async () => {
    const primary = MockLLMProvider.failing('unavailable', {}, { name: 'p' });
    const secondary = MockLLMProvider.fixed('streamed by s', { name: 's', chunkSize: 5 });
    const events = await drain(withFallback([primary, secondary]).stream(HI));
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { content: 'streamed by s', provider: 's' } });

    const failure = await MockLLMProvider.failing('unavailable')
      .complete(HI)
      .catch((e: unknown) => e);
    const midway = {
      name: 'midway',
      model: 'm',
      complete: () => Promise.reject(failure),
      async *stream() {
        yield { type: 'text-delta' as const, text: 'half' };
        throw failure;
      },
      healthCheck: async () => ({ healthy: true, latencyMs: 0 }),
    };
    const untouched = MockLLMProvider.fixed('unused', { name: 'u' });
    const seen: LLMStreamEvent[] = [];
    const thrown = await (async () => {
      for await (const event of withFallback([midway, untouched]).stream(HI)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    expect(seen).toEqual([{ type: 'text-delta', text: 'half' }]);
    expect(untouched.callCount).toBe(0);
  });

  test("an abort is not a reason to move on: it rejects with the signal's reason", async () => {
    const slow = MockLLMProvider.slow({ latencyMs: 1000 }, { name: 'slow' });
    const other = MockLLMProvider.fixed('unused', { name: 'other' });
    const controller = new AbortController();
    const pending = withFallback([slow, other]).complete(HI, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 10);
    await expect(pending).rejects.toThrow('cancelled');
    expect(other.callCount).toBe(0);
  });

  test('fallbackOn widens or narrows what moves on', async () => {
    const primary = MockLLMProvider.failing('authentication', {}, { name: 'p' });
    const secondary = MockLLMProvider.fixed('ok', { name: 's' });
    expect((await withFallback([primary, secondary], { fallbackOn: () => true }).complete(HI)).provider).toBe('s');
  });

  test('refuses an empty list', () => {
    expect(() => withFallback([])).toThrow(expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS' }));
  });

  test('composes: withFallback([withRetry(withCircuitBreaker(a)), b]) retries a, opens its circuit, then skips it', async () => {
    const a = MockLLMProvider.failing('unavailable', {}, { name: 'a' });
    const b = MockLLMProvider.fixed('b answers', { name: 'b' });
    const moves: string[] = [];
    const provider = withFallback([withRetry(withCircuitBreaker(a, { failureThreshold: 3 }), { retries: 2, sleep: async () => undefined }), b], {
      onFallback: ({ from, to }) => moves.push(`${from}→${to}`),
    });
    expect((await provider.complete(HI)).provider).toBe('b');
    expect(a.callCount).toBe(3);
    // the circuit is open now: a is skipped without a call
    expect((await provider.complete(HI)).provider).toBe('b');
    expect(a.callCount).toBe(3);
    expect(moves).toEqual(['a→b', 'a→b']);
    expect(await provider.isAvailable()).toBe(true);
  });
});

describe('withFallback over the real SDKs', () => {
  let failing: WireServer;
  let working: WireServer;
  beforeAll(async () => {
    failing = await startWireServer((): MockReply => ({ error: 'unavailable' }));
    working = await startWireServer((): MockReply => 'Claude here.');
  });
  afterAll(async () => {
    await failing.close();
    await working.close();
  });

  test('an OpenAI that answers 503 fails its first health check and is skipped; the answer names anthropic', async () => {
    const moves: FallbackEvent[] = [];
    const provider = withFallback(
      [
        openaiProvider(openaiClient(failing.origin), { model: 'gpt-4o-mini' }),
        anthropicProvider(anthropicClient(working.origin), { model: 'claude-haiku-4-5' }),
      ],
      { onFallback: (event) => moves.push(event) },
    );
    const answer = await provider.complete(HI);
    expect(answer).toMatchObject({ content: 'Claude here.', provider: 'anthropic' });
    expect(moves.map((m) => [m.from, m.to])).toEqual([['openai', 'anthropic']]);
    expect(moves[0]!.error).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', provider: 'openai', message: expect.stringMatching(/not available/) });
    // the one request OpenAI got was isAvailable()'s health check: a tiny completion
    expect(failing.requests.map((r) => (r.body as { max_completion_tokens?: number }).max_completion_tokens)).toEqual([16]);
  });

  test('a provider that passed its health check and then answers 503 is moved on from with that error', async () => {
    const openai = openaiProvider(openaiClient(failing.origin), { model: 'gpt-4o-mini' });
    const moves: FallbackEvent[] = [];
    const provider = withFallback([withCircuitBreaker(openai), anthropicProvider(anthropicClient(working.origin), { model: 'claude-haiku-4-5' })], {
      onFallback: (event) => moves.push(event),
    });
    // a successful call counts as a passed health check, so no check runs first
    failing.respond = () => 'pong';
    await openai.complete(HI);
    failing.respond = (): MockReply => ({ error: 'unavailable' });
    expect((await provider.complete(HI)).provider).toBe('anthropic');
    expect(moves[0]!.error).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', status: 503, provider: 'openai' });
  });
});
