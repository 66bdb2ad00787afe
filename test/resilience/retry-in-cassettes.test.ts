// withRetry inside a cassette: a replayed 429 → 429 → 200 (the provider asking for 20 s each
// time) costs no waiting with `instant` timing and the full 2 × 20 s with `recorded` timing —
// proven on a fake clock, so the test itself never waits. The wall-time figures are in the bench
// (scenario G).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { LLMProvider, RetryEvent } from '../../src/entries/provider.js';
import { openaiProvider, withRetry } from '../../src/entries/provider.js';
import { withCassette } from '../../src/index.js';
import { withMockLLM } from '../../src/mock/with-mock-llm.js';
import type { TimingMode } from '../../src/types.js';

let dir: string;
const CASSETTE = 'retry-429-429-200';
const HI = { messages: [{ role: 'user' as const, content: 'Hi' }] };

function provider(onRetry?: (event: RetryEvent) => void, sleep?: (ms: number) => Promise<void>): LLMProvider {
  const client = new OpenAI({ apiKey: 'sk-test-retry-not-a-key', maxRetries: 0 });
  return withRetry(openaiProvider(client, { model: 'gpt-4o-mini' }), { ...(onRetry ? { onRetry } : {}), ...(sleep ? { sleep } : {}) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cassettes-retry-'));
  // recorded once from the wire mock; the recording itself must not wait 40 s either
  await withMockLLM([{ error: { kind: 'rate-limit', retryAfterMs: 20_000 } }, { error: { kind: 'rate-limit', retryAfterMs: 20_000 } }, 'Finally.'], () =>
    withCassette(CASSETTE, () => provider(undefined, async () => undefined).generate(HI), { dir, mode: 'once' }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

const replay = <T>(timing: TimingMode, fn: () => Promise<T>): Promise<T> => withCassette(CASSETTE, fn, { dir, mode: 'none', timing });

describe('withRetry in a replay', () => {
  test('instant timing: both 20 s waits are skipped (nothing is ever scheduled), and the third attempt answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const events: RetryEvent[] = [];
    const answer = await replay('instant', () => provider((event) => events.push(event)).generate(HI));
    expect(answer).toBe('Finally.');
    expect(events.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 20_000],
      [2, 20_000],
    ]);
  });

  test('recorded timing (1×): the call is still waiting after 19.9 s of each wait, and answers after 2 × 20 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    let retries = 0;
    const answer = replay('recorded', () => provider(() => retries++).generate(HI)).finally(() => {
      settled = true;
    });
    for (const wait of [1, 2]) {
      // @note the SDK keeps its own request-timeout timer: the retry's wait is known from onRetry
      await vi.waitFor(() => expect(retries).toBe(wait));
      await vi.advanceTimersByTimeAsync(19_900);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(await answer).toBe('Finally.');
  });

  test('{ speed: 4 }: each wait is a quarter of what the provider asked', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    let retries = 0;
    const answer = replay({ speed: 4 }, () => provider(() => retries++).generate(HI)).finally(() => {
      settled = true;
    });
    for (const wait of [1, 2]) {
      await vi.waitFor(() => expect(retries).toBe(wait));
      await vi.advanceTimersByTimeAsync(4_900);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(await answer).toBe('Finally.');
  });

  test('a sleep option overrides the cassette: it is asked for both waits, in an instant replay too', async () => {
    const waits: number[] = [];
    const answer = await replay('instant', () => provider(undefined, async (ms) => void waits.push(ms)).generate(HI));
    expect(answer).toBe('Finally.');
    expect(waits).toEqual([20_000, 20_000]);
  });

  test('while recording (a new cassette) the waits are kept: the provider is live', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    let retries = 0;
    const recording = withMockLLM([{ error: { kind: 'rate-limit', retryAfterMs: 5_000 } }, 'Live.'], () =>
      withCassette('recording-keeps-waits', () => provider(() => retries++).generate(HI), { dir, mode: 'once', timing: 'instant' }),
    ).finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(retries).toBe(1));
    await vi.advanceTimersByTimeAsync(4_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await recording).toBe('Live.');
  });

  test('warn mode answers only from tape (a miss gets the closest recording): its instant replay skips the waits too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answer = await withCassette(CASSETTE, () => provider().generate(HI), { dir, mode: 'warn', timing: 'instant' });
    expect(answer).toBe('Finally.');
  });

  test('hybrid mode may go live on a miss, and a mock inside a replay answers live: both keep the waits', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const previous = process.env['LLM_CASSETTE_ALLOW_LIVE'];
    process.env['LLM_CASSETTE_ALLOW_LIVE'] = '1';
    try {
      let retries = 0;
      let settled = false;
      const hybrid = withCassette(CASSETTE, () => provider(() => retries++).generate(HI), { dir, mode: 'hybrid', timing: 'instant' }).finally(() => {
        settled = true;
      });
      await vi.waitFor(() => expect(retries).toBe(1));
      await vi.advanceTimersByTimeAsync(19_900);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(100);
      await vi.waitFor(() => expect(retries).toBe(2));
      await vi.advanceTimersByTimeAsync(20_000);
      expect(await hybrid).toBe('Finally.');
    } finally {
      if (previous === undefined) delete process.env['LLM_CASSETTE_ALLOW_LIVE'];
      else process.env['LLM_CASSETTE_ALLOW_LIVE'] = previous;
    }
    let retries = 0;
    let settled = false;
    const mocked = replay('instant', () =>
      withMockLLM([{ error: { kind: 'rate-limit', retryAfterMs: 3_000 } }, 'From the mock.'], () => provider(() => retries++).generate(HI)),
    ).finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(retries).toBe(1));
    await vi.advanceTimersByTimeAsync(2_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await mocked).toBe('From the mock.');
  });
});
