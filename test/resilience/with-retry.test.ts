import { describe, expect, test, vi } from 'vitest';
import type { LLMProviderCore, LLMRequest, LLMStreamEvent, RetryEvent } from '../../src/entries/provider.js';
import { FAULT_KINDS, isLLMError, MockLLMProvider, withRetry } from '../../src/entries/provider.js';

const HI: LLMRequest = { messages: [{ role: 'user', content: 'Hi' }] };

/** A `sleep` that returns at once and remembers what it was asked to wait. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('withRetry', () => {
  test.each(['rate-limit', 'timeout', 'unavailable'] as const)('retries %s and returns the answer that finally came', async (kind) => {
    const inner = MockLLMProvider.failing(kind, { times: 2, retryAfterMs: 10 }, { replies: ['at last'] });
    const events: RetryEvent[] = [];
    const { sleep } = recordingSleep();
    const provider = withRetry(inner, { sleep, onRetry: (event) => events.push(event) });
    expect(await provider.generate('Hi')).toBe('at last');
    expect(inner.callCount).toBe(3);
    expect(events.map((e) => [e.attempt, isLLMError(e.error) && e.error.code, e.provider])).toEqual([
      [1, expect.any(String), 'mock'],
      [2, expect.any(String), 'mock'],
    ]);
    expect(provider.tokenUsage.calls).toBe(1);
  });

  test.each(['authentication', 'invalid-request', 'malformed'] as const)('never retries %s: one attempt, thrown with attempts: 1', async (kind) => {
    const inner = MockLLMProvider.failing(kind, { times: 1 }, { replies: ['never seen'] });
    const { sleep, waits } = recordingSleep();
    const error = await withRetry(inner, { sleep })
      .complete(HI)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, code: expect.stringMatching(/^LLM_/) });
    expect(inner.callCount).toBe(1);
    expect(waits).toEqual([]);
  });

  test('after the last attempt the last error is thrown with the attempt count', async () => {
    const inner = MockLLMProvider.failing('unavailable');
    const { sleep, waits } = recordingSleep();
    const error = await withRetry(inner, { retries: 2, sleep, jitter: false })
      .complete(HI)
      .catch((e: unknown) => e);
    expect(isLLMError(error, 'LLM_PROVIDER_UNAVAILABLE')).toBe(true);
    expect(error).toMatchObject({ attempts: 3 });
    expect(error).toBe(inner.calls[2]!.error);
    expect(waits).toEqual([500, 1000]);
  });

  test('backoff: exponential from minDelayMs by factor, capped by maxDelayMs, jittered between half and all', async () => {
    const fixed = recordingSleep();
    await withRetry(MockLLMProvider.failing('timeout'), { retries: 5, minDelayMs: 100, factor: 3, maxDelayMs: 2000, jitter: false, sleep: fixed.sleep })
      .complete(HI)
      .catch(() => undefined);
    expect(fixed.waits).toEqual([100, 300, 900, 2000, 2000]);
    const jittered = recordingSleep();
    await withRetry(MockLLMProvider.failing('timeout'), { retries: 40, minDelayMs: 1000, factor: 1, sleep: jittered.sleep })
      .complete(HI)
      .catch(() => undefined);
    expect(jittered.waits).toHaveLength(40);
    for (const wait of jittered.waits) expect(wait >= 500 && wait <= 1000).toBe(true);
    expect(new Set(jittered.waits).size).toBeGreaterThan(30);
  });

  test("honours the provider's retryAfterMs instead of its own backoff", async () => {
    const { sleep, waits } = recordingSleep();
    const inner = MockLLMProvider.failing('rate-limit', { times: 2, retryAfterMs: 20_000 }, { replies: ['ok'] });
    expect(await withRetry(inner, { sleep, maxDelayMs: 100 }).generate('Hi')).toBe('ok');
    expect(waits).toEqual([20_000, 20_000]);
  });

  test("an abort during the wait rejects at once with the signal's reason, and no further attempt is made", async () => {
    const inner = MockLLMProvider.failing('rate-limit', { retryAfterMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const pending = withRetry(inner).complete(HI, { signal: controller.signal });
    await vi.waitFor(() => expect(inner.callCount).toBe(1));
    const started = performance.now();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(inner.callCount).toBe(1);
    expect(reason).not.toHaveProperty('attempts');
  });

  test('an aborted call is never tried again, even when retryOn would take anything', async () => {
    const inner = MockLLMProvider.slow({ latencyMs: 1000 });
    const controller = new AbortController();
    const reason = new Error('stop now');
    const retries: RetryEvent[] = [];
    const pending = withRetry(inner, { retryOn: () => true, sleep: async () => undefined, onRetry: (e) => retries.push(e) }).complete(HI, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(inner.callCount).toBe(1);
    expect(retries).toEqual([]);
  });

  test('a custom sleep that ignores the signal is still cut short by an abort', async () => {
    const controller = new AbortController();
    const pending = withRetry(MockLLMProvider.failing('timeout'), { sleep: () => new Promise(() => undefined) }).complete(HI, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('bye')), 20);
    await expect(pending).rejects.toThrow('bye');
  });

  test('retryOn decides which failures are retried', async () => {
    const { sleep } = recordingSleep();
    const inner = MockLLMProvider.failing('authentication', { times: 1 }, { replies: ['ok'] });
    const provider = withRetry(inner, { sleep, retryOn: (error, attempt) => attempt < 3 && isLLMError(error, 'LLM_AUTHENTICATION') });
    expect(await provider.generate('Hi')).toBe('ok');
    const never = withRetry(MockLLMProvider.failing('timeout'), { sleep, retryOn: () => false });
    await expect(never.complete(HI)).rejects.toMatchObject({ attempts: 1 });
  });

  test('a stream is retried until its first event, never after', async () => {
    const { sleep } = recordingSleep();
    const before = MockLLMProvider.failing('unavailable', { times: 2 }, { replies: ['streamed answer'], chunkSize: 4 });
    const events = await drain(withRetry(before, { sleep }).stream(HI));
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { content: 'streamed answer' } });
    expect(before.callCount).toBe(3);

    let opened = 0;
    const failure = await MockLLMProvider.failing('unavailable')
      .complete(HI)
      .catch((e: unknown) => e);
    const breaksMidway: LLMProviderCore = {
      name: 'flaky',
      model: 'f',
      complete: () => Promise.reject(failure),
      async *stream() {
        opened++;
        yield { type: 'text-delta', text: 'partial' };
        throw failure;
      },
      healthCheck: async () => ({ healthy: true, latencyMs: 0 }),
    };
    const seen: LLMStreamEvent[] = [];
    const thrown = await (async () => {
      for await (const event of withRetry(breaksMidway, { sleep }).stream(HI)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    expect(thrown).toMatchObject({ attempts: 1 });
    expect(seen).toEqual([{ type: 'text-delta', text: 'partial' }]);
    expect(opened).toBe(1);
  });

  test('a stream that fails on every attempt ends with the last error and its attempt count', async () => {
    const { sleep, waits } = recordingSleep();
    const error = await drain(withRetry(MockLLMProvider.failing('timeout'), { sleep, retries: 1 }).stream(HI)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_TIMEOUT', attempts: 2 });
    expect(waits).toHaveLength(1);
  });

  test('breaking out of a retried stream closes the inner stream', async () => {
    const inner = MockLLMProvider.fixed('a b c d e f g h', { chunkSize: 1, chunkDelayMs: 5 });
    for await (const _ of withRetry(inner).stream(HI)) break;
    await vi.waitFor(() => expect(inner.calls[0]!.status).toBe('aborted'));
  });

  test('invalid options are refused with LLM_CASSETTE_OPTIONS', () => {
    const mock = new MockLLMProvider();
    for (const options of [{ retries: -1 }, { retries: 1.5 }, { minDelayMs: -5 }, { maxDelayMs: Number.NaN }, { factor: 0.5 }]) {
      expect(() => withRetry(mock, options)).toThrow(expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS' }));
    }
  });

  test('name, model, health and availability are the inner provider’s', async () => {
    const inner = new MockLLMProvider({ name: 'inner', model: 'm', health: { healthy: false, error: 'x' } });
    const provider = withRetry(inner);
    expect([provider.name, provider.model]).toEqual(['inner', 'm']);
    expect(await provider.healthCheck()).toMatchObject({ healthy: false });
    expect(await provider.isAvailable()).toBe(false);
  });

  test('every fault kind the mocks know is either retried or not, as the protocol says', async () => {
    const retried: string[] = [];
    for (const kind of FAULT_KINDS) {
      const inner = MockLLMProvider.failing(kind, { times: 1 }, { replies: ['ok'] });
      const ok = await withRetry(inner, { sleep: async () => undefined })
        .generate('x')
        .then(() => true)
        .catch(() => false);
      if (ok) retried.push(kind);
    }
    expect(retried).toEqual(['rate-limit', 'timeout', 'unavailable']);
  });
});
