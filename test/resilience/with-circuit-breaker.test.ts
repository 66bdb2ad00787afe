import { describe, expect, test } from 'vitest';
import type { CircuitState, LLMRequest, LLMStreamEvent } from '../../src/entries/provider.js';
import { isLLMError, MockLLMProvider, withCircuitBreaker } from '../../src/entries/provider.js';

const HI: LLMRequest = { messages: [{ role: 'user', content: 'Hi' }] };
const fail = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('withCircuitBreaker', () => {
  test('opens after failureThreshold consecutive retryable failures: later calls fail at once, without reaching the provider', async () => {
    const inner = MockLLMProvider.failing('unavailable');
    const time = clock();
    const states: CircuitState[] = [];
    const provider = withCircuitBreaker(inner, { failureThreshold: 3, now: time.now, onStateChange: (state) => states.push(state) });
    for (let i = 0; i < 3; i++) expect(await fail(provider.complete(HI))).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', status: 503 });
    expect(states).toEqual(['open']);
    expect(await provider.isAvailable()).toBe(false);
    for (let i = 0; i < 5; i++) {
      const error = await fail(provider.complete(HI));
      expect(isLLMError(error, 'LLM_PROVIDER_UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toMatch(/circuit for mock is open after 3 consecutive failures/);
      expect((error as Error).cause).toBe(inner.calls[2]!.error);
    }
    expect(await fail(drain(provider.stream(HI)))).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
    expect(inner.callCount).toBe(3);
  });

  test('defaults: 5 failures, 30 s of cooldown', async () => {
    const inner = MockLLMProvider.failing('timeout');
    const time = clock();
    const provider = withCircuitBreaker(inner, { now: time.now });
    for (let i = 0; i < 5; i++) await fail(provider.complete(HI));
    await fail(provider.complete(HI));
    expect(inner.callCount).toBe(5);
    time.advance(29_999);
    await fail(provider.complete(HI));
    expect(inner.callCount).toBe(5);
    time.advance(1);
    await fail(provider.complete(HI));
    expect(inner.callCount).toBe(6);
  });

  test('after the cooldown one probe goes through; its success closes the circuit', async () => {
    const inner = MockLLMProvider.failing('rate-limit', { times: 2 }, { replies: ['back'], latencyMs: 20 });
    const time = clock();
    const states: CircuitState[] = [];
    const provider = withCircuitBreaker(inner, { failureThreshold: 2, cooldownMs: 1000, now: time.now, onStateChange: (s) => states.push(s) });
    await fail(provider.complete(HI));
    await fail(provider.complete(HI));
    time.advance(1000);
    expect(await provider.isAvailable()).toBe(true);
    const probe = provider.generate('probe');
    // while the probe is out, everyone else still fails fast
    expect(await fail(provider.complete(HI))).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', message: expect.stringMatching(/half-open/) });
    expect(await probe).toBe('back');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(await provider.generate('again')).toBe('back');
    expect(inner.callCount).toBe(4);
  });

  test('a failed probe opens the circuit again for another cooldown', async () => {
    const inner = MockLLMProvider.failing('unavailable');
    const time = clock();
    const states: CircuitState[] = [];
    const provider = withCircuitBreaker(inner, { failureThreshold: 1, cooldownMs: 500, now: time.now, onStateChange: (s) => states.push(s) });
    await fail(provider.complete(HI));
    time.advance(500);
    await fail(provider.complete(HI));
    expect(states).toEqual(['open', 'half-open', 'open']);
    time.advance(499);
    await fail(provider.complete(HI));
    expect(inner.callCount).toBe(2);
    expect(await provider.isAvailable()).toBe(false);
  });

  test('non-retryable failures and successes end a run of failures', async () => {
    const inner = MockLLMProvider.sequence([
      { error: 'unavailable' },
      { error: 'unavailable' },
      { error: 'invalid-request' },
      { error: 'unavailable' },
      { error: 'unavailable' },
      'ok',
      { error: 'unavailable' },
      { error: 'unavailable' },
    ]);
    const provider = withCircuitBreaker(inner, { failureThreshold: 3, now: clock().now });
    for (let i = 0; i < 8; i++) await provider.complete(HI).catch(() => undefined);
    expect(inner.callCount).toBe(8);
    expect(await provider.isAvailable()).toBe(true);
  });

  test('streams count when they finish or fail; an abandoned stream counts for nothing', async () => {
    const inner = MockLLMProvider.sequence([{ error: 'unavailable' }, 'a long streamed answer', { error: 'unavailable' }, 'finished'], { chunkSize: 1 });
    const provider = withCircuitBreaker(inner, { failureThreshold: 2, now: clock().now });
    await fail(drain(provider.stream(HI)));
    for await (const _ of provider.stream(HI)) break;
    await fail(drain(provider.stream(HI)));
    // the abandoned stream neither reset the run nor added to it: the second failure opens it
    expect(await fail(drain(provider.stream(HI)))).toMatchObject({ message: expect.stringMatching(/open/) });
    expect(inner.callCount).toBe(3);
    const recovering = MockLLMProvider.sequence([{ error: 'unavailable' }, 'done', { error: 'unavailable' }, { error: 'unavailable' }]);
    const closedAgain = withCircuitBreaker(recovering, { failureThreshold: 2, now: clock().now });
    await fail(drain(closedAgain.stream(HI)));
    expect((await drain(closedAgain.stream(HI))).at(-1)).toMatchObject({ type: 'finish' });
    await fail(drain(closedAgain.stream(HI)));
    expect(await closedAgain.isAvailable()).toBe(true);
  });

  test("an abort is the caller's decision: not a failure, and it frees the probe", async () => {
    const inner = MockLLMProvider.slow({ latencyMs: 50 });
    const time = clock();
    const provider = withCircuitBreaker(inner, { failureThreshold: 1, now: time.now });
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      const pending = provider.complete(HI, { signal: controller.signal });
      controller.abort(new Error('stop'));
      await expect(pending).rejects.toThrow('stop');
    }
    expect(await provider.generate('x')).toMatch(/Mock reply/);
  });

  test('invalid options are refused with LLM_CASSETTE_OPTIONS; name, model and health are the inner ones', async () => {
    for (const options of [{ failureThreshold: 0 }, { failureThreshold: 2.5 }, { cooldownMs: -1 }]) {
      expect(() => withCircuitBreaker(new MockLLMProvider(), options)).toThrow(expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS' }));
    }
    const provider = withCircuitBreaker(new MockLLMProvider({ name: 'n', model: 'm' }));
    expect([provider.name, provider.model]).toEqual(['n', 'm']);
    expect(await provider.healthCheck()).toMatchObject({ healthy: true });
  });
});
