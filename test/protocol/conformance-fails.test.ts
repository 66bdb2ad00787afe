import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { conformanceChecks } from '../../src/conformance/checks.js';
import type { ConformanceOptions, ProviderFactory } from '../../src/conformance/types.js';
import { LLMRateLimitError } from '../../src/protocol/errors.js';
import { MockLLMProvider } from '../../src/protocol/mock-provider.js';
import type { LLMProvider, LLMProviderCore } from '../../src/protocol/provider.js';
import type { LLMResponse, LLMStreamEvent } from '../../src/protocol/response.js';

interface Outcome {
  readonly name: string;
  readonly error: unknown;
}

async function runAll(factory: ProviderFactory, options: ConformanceOptions = {}): Promise<{ failed: Outcome[]; passed: string[]; skipped: Outcome[] }> {
  const failed: Outcome[] = [];
  const passed: string[] = [];
  const skipped: Outcome[] = [];
  for (const check of conformanceChecks(factory, { timeoutMs: 2000, abortWithinMs: 300, ...options })) {
    try {
      const outcome = await check.run();
      if (outcome.status === 'skip') skipped.push({ name: check.name, error: outcome.reason });
      else passed.push(check.name);
    } catch (error) {
      failed.push({ name: check.name, error });
    }
  }
  return { failed, passed, skipped };
}

const ALL = { capabilities: { tools: true, json: true } } as const;

/** A working mock with some of its methods replaced by broken ones. */
function broken(patch: (mock: MockLLMProvider) => Partial<LLMProvider>): ProviderFactory {
  return ({ onNetwork }) => {
    const mock = new MockLLMProvider({ onCall: onNetwork });
    const overrides = patch(mock);
    return {
      name: mock.name,
      model: mock.model,
      complete: overrides.complete ?? ((request, options) => mock.complete(request, options)),
      stream: overrides.stream ?? ((request, options) => mock.stream(request, options)),
      healthCheck: overrides.healthCheck ?? (() => mock.healthCheck()),
    };
  };
}

function failedNames(result: { failed: Outcome[] }): string[] {
  return result.failed.map((outcome) => outcome.name);
}

describe('the conformance checks can fail', () => {
  test('a correct provider passes every check (the baseline)', async () => {
    const result = await runAll(({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork }), {
      capabilities: { tools: true, json: true, faults: (kind) => new MockLLMProvider().injectFault(kind, { times: 10 }) },
    });
    expect(result.failed).toEqual([]);
    expect(result.passed.length).toBeGreaterThanOrEqual(19);
  });

  test('usage whose total does not add up fails the completion check', async () => {
    const result = await runAll(
      broken((mock) => ({
        complete: async (request, options) => {
          const response = await mock.complete(request, options);
          return { ...response, usage: { ...response.usage, totalTokens: response.usage.totalTokens + 1 } };
        },
      })),
    );
    const failure = result.failed.find((o) => o.name.startsWith('complete() returns content'));
    expect(String(failure?.error)).toMatch(/totalTokens .* must equal inputTokens \+ outputTokens/);
  });

  test('a response without raw, or with an unknown finish reason, fails', async () => {
    const noRaw = await runAll(broken((mock) => ({ complete: async (r, o) => ({ ...(await mock.complete(r, o)), raw: undefined }) })));
    expect(String(noRaw.failed.find((o) => o.name.startsWith('complete() returns'))?.error)).toMatch(/`raw`/);
    const badFinish = await runAll(
      broken((mock) => ({
        complete: async (r, o) => ({ ...(await mock.complete(r, o)), finishReason: 'end_turn' as LLMResponse['finishReason'] }),
      })),
    );
    expect(failedNames(badFinish)).toContain("complete() reports finish reason 'stop' or 'length' for a plain prompt");
  });

  test('a stream whose deltas do not add up, or with two finish events, fails', async () => {
    const wrongText = await runAll(
      broken((mock) => ({
        stream: (request, options) => ({
          async *[Symbol.asyncIterator](): AsyncGenerator<LLMStreamEvent> {
            for await (const event of mock.stream(request, options)) {
              yield event.type === 'text-delta' ? { ...event, text: event.text.toUpperCase() } : event;
            }
          },
        }),
      })),
    );
    expect(String(wrongText.failed.find((o) => o.name.startsWith('stream() text deltas'))?.error)).toMatch(/deltas concatenate/);

    const twoFinishes = await runAll(
      broken((mock) => ({
        stream: (request, options) => ({
          async *[Symbol.asyncIterator](): AsyncGenerator<LLMStreamEvent> {
            for await (const event of mock.stream(request, options)) {
              yield event;
              if (event.type === 'finish') yield event;
            }
          },
        }),
      })),
    );
    expect(String(twoFinishes.failed.find((o) => o.name.startsWith('stream() text deltas'))?.error)).toMatch(/exactly one 'finish'/);
  });

  test('a provider that ignores the abort signal fails the abort checks', async () => {
    const result = await runAll(
      broken((mock) => ({
        complete: (request) => mock.complete(request),
        stream: (request) => mock.stream(request),
      })),
    );
    expect(failedNames(result)).toEqual(
      expect.arrayContaining([
        'an already-aborted signal rejects with its reason and sends nothing',
        'aborting an in-flight complete() rejects promptly and leaves nothing behind',
        'aborting mid-stream rejects the next pull promptly, closes the stream and leaves nothing behind',
      ]),
    );
  });

  test('an abort that leaves an unhandled rejection behind fails', async () => {
    const result = await runAll(
      broken((mock) => ({
        complete: (request, options) => {
          // A side task, started only by calls that can still be aborted, that rejects unobserved.
          if (options?.signal && !options.signal.aborted) void Promise.reject(new Error('leaked background failure'));
          return mock.complete(request, options);
        },
      })),
    );
    const failure = result.failed.find((o) => o.name.startsWith('aborting an in-flight complete()'));
    expect(String(failure?.error)).toMatch(/unhandled rejection/);
  });

  test('a provider that skips validation fails the invalid-request checks', async () => {
    const result = await runAll(
      broken((mock) => ({
        complete: (request, options) =>
          mock.complete({ ...request, messages: [{ role: 'user', content: 'Hi' }], temperature: 1, maxTokens: 10, topP: 1 }, options),
      })),
    );
    expect(failedNames(result)).toContain('invalid requests are rejected with LLMRequestError naming the field');
  });

  test('a provider that validates only after touching the network fails the before-network check', async () => {
    const result = await runAll(({ onNetwork }) => {
      const mock = new MockLLMProvider({ onCall: onNetwork });
      return {
        name: mock.name,
        model: mock.model,
        complete: (request, options) => {
          onNetwork();
          return mock.complete(request, options);
        },
        stream: (request, options) => mock.stream(request, options),
        healthCheck: () => mock.healthCheck(),
      };
    });
    const failure = result.failed.find((o) => o.name === 'invalid requests are rejected before any network call');
    expect(String(failure?.error)).toMatch(/caused \d+ network call/);
  });

  test('a provider that sends invalid requests over HTTP fails the before-network check: the interceptor sees it, no onNetwork needed', async () => {
    const leaky = (): LLMProviderCore => {
      const mock = new MockLLMProvider();
      return {
        name: 'leaky',
        model: 'leaky-1',
        complete: async (request, options) => {
          // "validates" only after asking a server: the request must never get out
          await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify(request) }).catch(() => undefined);
          return mock.complete(request, options);
        },
        stream: (request, options) => mock.stream(request, options),
        healthCheck: () => mock.healthCheck(),
      };
    };
    const result = await runAll(leaky);
    const failure = result.failed.find((o) => o.name === 'invalid requests are rejected before any network call');
    expect(String(failure?.error)).toMatch(/invalid requests caused 5 network call\(s\): POST https:\/\/api\.openai\.com\/v1\/chat\/completions/);
  });

  test('a request that escapes through a dispatcher of its own is seen too', async () => {
    const agent = new Agent();
    const escaping = (): LLMProviderCore => {
      const mock = new MockLLMProvider();
      return {
        name: 'escaping',
        model: 'escaping-1',
        complete: async (request, options) => {
          await undiciFetch('http://127.0.0.1:59999/v1/chat/completions', { method: 'POST', body: '{}', dispatcher: agent }).catch(() => undefined);
          return mock.complete(request, options);
        },
        stream: (request, options) => mock.stream(request, options),
        healthCheck: () => mock.healthCheck(),
      };
    };
    const result = await runAll(escaping);
    await agent.close();
    const failure = result.failed.find((o) => o.name === 'invalid requests are rejected before any network call');
    expect(String(failure?.error)).toMatch(
      /invalid requests caused 5 network call\(s\): POST http:\/\/127\.0\.0\.1:59999\/v1\/chat\/completions \(through a dispatcher other than the global one\)/,
    );
  });

  test('a provider that makes no HTTP at all (a mock without onNetwork) passes the before-network checks', async () => {
    const result = await runAll(() => new MockLLMProvider({ replies: ['Hello'] }));
    expect(result.failed).toEqual([]);
    expect(result.passed).toContain('invalid requests are rejected before any network call');
    expect(result.passed).toContain('an already-aborted signal rejects with its reason and sends nothing');
  });

  test('an unhealthy or malformed health check fails', async () => {
    const unhealthy = await runAll(({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork, health: { healthy: false, error: 'down' } }));
    expect(failedNames(unhealthy)).toEqual([
      'healthCheck() returns { healthy: true, latencyMs, error? }',
      'isAvailable() resolves to true for a working provider',
    ]);
    const shapeless = await runAll(broken(() => ({ healthCheck: async () => ({ ok: true }) as never })));
    expect(String(shapeless.failed.find((o) => o.name.startsWith('healthCheck()'))?.error)).toMatch(/`healthy` must be a boolean/);
  });

  test('a provider that breaks under concurrency fails', async () => {
    let inFlight = 0;
    const result = await runAll(
      broken((mock) => ({
        complete: async (request, options) => {
          inFlight++;
          try {
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (inFlight > 1) throw new Error('busy');
            return await mock.complete(request, options);
          } finally {
            inFlight--;
          }
        },
      })),
    );
    expect(failedNames(result)).toContain('10 concurrent calls all succeed');
  });

  test('faults that escape the hierarchy, or land in the wrong class, fail', async () => {
    const result = await runAll(({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork }), {
      capabilities: {
        faults: (kind) =>
          kind === 'timeout'
            ? new MockLLMProvider({ replies: [new Error('socket hang up')] })
            : new MockLLMProvider({ replies: [new LLMRateLimitError('always rate limited', { provider: 'mock', status: 429 })] }),
      },
    });
    expect(failedNames(result)).toEqual(
      expect.arrayContaining([
        "a 'timeout' failure surfaces as LLM_TIMEOUT from complete() and stream()",
        "an 'unavailable' failure surfaces as LLM_PROVIDER_UNAVAILABLE from complete() and stream()",
        "a 'malformed' failure surfaces as LLM_MALFORMED_RESPONSE from complete() and stream()",
      ]),
    );
    expect(failedNames(result)).not.toContain("a 'rate-limit' failure surfaces as LLM_RATE_LIMIT from complete() and stream()");
  });

  test('a provider that drops tool calls or answers JSON mode with prose fails the capability checks', async () => {
    const result = await runAll(({ onNetwork }) => new MockLLMProvider({ onCall: onNetwork, replies: () => 'Just some prose.' }), ALL);
    expect(failedNames(result)).toEqual(
      expect.arrayContaining([
        'tools: a forced tool call returns id, name and parsed arguments',
        'tools: a tool result round-trips to a final answer',
        'tools: streamed tool-call deltas rebuild the final arguments',
        'json: responseFormat json returns parseable JSON (with and without a schema)',
      ]),
    );
  });

  test('streamed tool-call deltas that disagree with the final arguments fail', async () => {
    const result = await runAll(
      broken((mock) => ({
        stream: (request, options) => ({
          async *[Symbol.asyncIterator](): AsyncGenerator<LLMStreamEvent> {
            for await (const event of mock.stream(request, options)) {
              yield event.type === 'tool-call-delta' ? { ...event, argumentsDelta: event.argumentsDelta.replace('example', 'elsewhere') } : event;
            }
          },
        }),
      })),
      ALL,
    );
    const failure = result.failed.find((o) => o.name === 'tools: streamed tool-call deltas rebuild the final arguments');
    expect(String(failure?.error)).toMatch(/deltas of call #0/);
  });

  test('generate() that is not the text of complete() fails', async () => {
    const result = await runAll(() => {
      const mock = MockLLMProvider.fixed('the answer');
      return Object.assign(mock, { generate: async () => 'something else' });
    });
    expect(String(result.failed.find((o) => o.name === 'generate() returns the text of complete()')?.error)).toMatch(
      /generate\(\) returned "something else", complete\(\) of the same request "the answer"/,
    );
  });

  test('generateStructured() that accepts what its schema refuses fails', async () => {
    const result = await runAll(
      () => {
        const mock = new MockLLMProvider();
        return Object.assign(mock, { generateStructured: async () => ({ answer: 'unchecked' }) });
      },
      { capabilities: { json: true } },
    );
    const failure = result.failed.find((o) => o.name.startsWith('generateStructured()'));
    expect(String(failure?.error)).toMatch(
      /expected generateStructured\(\) with a schema that refuses every value to reject, but it resolved with \{"answer":"unchecked"\}/,
    );
  });

  test('usage totals that miss a streamed call, or a rateLimit that is not the last one, fail', async () => {
    const result = await runAll(() => {
      const mock = new MockLLMProvider();
      let calls = 0;
      return Object.defineProperty(mock, 'tokenUsage', {
        get: () => ({ calls: calls++ === 0 ? 0 : 1, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 }),
      });
    });
    expect(String(result.failed.find((o) => o.name.startsWith('usage totals'))?.error)).toMatch(/tokenUsage\.calls must be 2/);
  });

  test('a bare LLMProviderCore skips the protocol checks with the reason, and passes the rest', async () => {
    const result = await runAll(broken(() => ({})));
    expect(result.failed).toEqual([]);
    expect(result.skipped.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'generate() returns the text of complete()',
        "usage totals: tokenUsage adds up every successful complete() and stream(); rateLimit is the last response's",
        'isAvailable() resolves to true for a working provider',
      ]),
    );
    expect(String(result.skipped.find((s) => s.name.startsWith('generate()'))?.error)).toMatch(/withProtocol\(provider\)/);
  });
});
