// Section 1 of the protocol: generate, generateStructured, isAvailable, tokenUsage, rateLimit —
// on MockLLMProvider, on the three adapters over the real SDKs (a local wire server), and on a
// user's own provider through withProtocol().
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import * as z from 'zod';
import type { LLMProvider, LLMProviderCore, LLMRequest, LLMResponse } from '../../src/entries/provider.js';
import {
  anthropicProvider,
  geminiProvider,
  hasProtocol,
  isLLMError,
  LLMResponseError,
  MockLLMProvider,
  openaiProvider,
  withProtocol,
} from '../../src/entries/provider.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import { anthropicClient, geminiClient, openaiClient } from './support/sdk-clients.js';
import type { RawAnswer, WireServer } from './support/wire-server.js';
import { startWireServer } from './support/wire-server.js';

let server: WireServer;
let next: MockReply | RawAnswer = 'ok';
beforeAll(async () => {
  server = await startWireServer(() => next);
});
afterAll(async () => {
  await server.close();
});
const lastBody = (): Record<string, unknown> => server.requests.at(-1)!.body as Record<string, unknown>;

const Person = z.object({ name: z.string(), age: z.number().int().min(0) });

describe('generate', () => {
  test('returns the text of the completion; a string prompt is one user message', async () => {
    const mock = MockLLMProvider.echo();
    expect(await mock.generate('Hello there')).toBe('Hello there');
    expect(mock.calls[0]!.request).toEqual({ messages: [{ role: 'user', content: 'Hello there' }] });
  });

  test('options add a system message first and override the request fields', async () => {
    const mock = MockLLMProvider.fixed('ok');
    const request: LLMRequest = { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.1, maxTokens: 10 };
    expect(await mock.generate(request, { system: 'Be terse.', model: 'm-2', temperature: 0.7, maxTokens: 20, stop: 'END', seed: 7 })).toBe('ok');
    expect(mock.calls[0]!.request).toEqual({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.7,
      maxTokens: 20,
      model: 'm-2',
      stop: 'END',
      seed: 7,
    });
    expect(request.messages).toHaveLength(1);
  });

  test('signal aborts it with the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = MockLLMProvider.slow({ latencyMs: 5_000 }).generate('Hi', { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  test.each([
    ['openai chat', () => openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' })],
    ['openai responses', () => openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', api: 'responses' })],
    ['anthropic', () => anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' })],
    ['gemini', () => geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash' })],
  ])('%s: generate equals the content of complete', async (_name, make) => {
    next = 'Bonjour à tous';
    const provider = make();
    expect(await provider.generate('Say hi')).toBe((await provider.complete({ messages: [{ role: 'user', content: 'Say hi' }] })).content);
    expect(await provider.generate('Say hi')).toBe('Bonjour à tous');
  });
});

describe('generateStructured', () => {
  test('zod: sends its JSON Schema as native structured output and returns the typed, parsed value', async () => {
    const mock = MockLLMProvider.fixed('{"name":"Ada","age":36}');
    const person = await mock.generateStructured('Who wrote the first program?', Person, { name: 'person' });
    expectTypeOf(person).toEqualTypeOf<{ name: string; age: number }>();
    expect(person).toEqual({ name: 'Ada', age: 36 });
    const format = mock.calls[0]!.request.responseFormat;
    expect(format).toMatchObject({ type: 'json', name: 'person', schema: { type: 'object', required: ['name', 'age'] } });
    expect(format && 'schema' in format ? format.schema : {}).not.toHaveProperty('$schema');
  });

  test('zod transforms apply: the value is what the schema outputs', async () => {
    const schema = z.object({ when: z.string().transform((s) => new Date(s)) });
    const value = await MockLLMProvider.fixed('{"when":"2020-01-02T00:00:00Z"}').generateStructured('When?', schema);
    expect(value.when).toBeInstanceOf(Date);
  });

  test('without a script the mock answers JSON that fits the schema, and it validates', async () => {
    expect(await new MockLLMProvider().generateStructured('Who?', Person)).toEqual({ name: 'example', age: 0 });
  });

  test('arktype and valibot (with toStandardJsonSchema) send their JSON Schema too', async () => {
    const ark = type({ city: 'string', temperatureC: 'number' });
    const mock = MockLLMProvider.fixed('{"city":"Oslo","temperatureC":-3}');
    expect(await mock.generateStructured('Weather?', ark)).toEqual({ city: 'Oslo', temperatureC: -3 });
    expect(mock.calls[0]!.request.responseFormat).toMatchObject({ schema: { type: 'object', required: ['city', 'temperatureC'] } });
    const vali = toStandardJsonSchema(v.object({ city: v.string() }));
    expect(await mock.generateStructured('Weather?', vali)).toEqual({ city: 'Oslo' });
    expect(mock.calls[1]!.request.responseFormat).toMatchObject({ schema: { type: 'object', required: ['city'] } });
  });

  test('plain valibot (no JSON Schema to give) asks for JSON mode and still validates', async () => {
    const mock = MockLLMProvider.fixed('{"city":"Oslo"}');
    expect(await mock.generateStructured('Weather?', v.object({ city: v.string() }))).toEqual({ city: 'Oslo' });
    expect(mock.calls[0]!.request.responseFormat).toEqual({ type: 'json' });
    await expect(mock.generateStructured('Weather?', v.object({ town: v.string() }))).rejects.toMatchObject({ code: 'LLM_MALFORMED_RESPONSE' });
  });

  test('a plain JSON Schema is validated with ajv (draft-07 and 2020-12)', async () => {
    const mock = MockLLMProvider.fixed('{"items":[1,2,"x"]}');
    const schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'number' } } }, required: ['items'] };
    const error = await mock.generateStructured('Numbers?', schema).catch((e: unknown) => e);
    expect(isLLMError(error, 'LLM_MALFORMED_RESPONSE')).toBe(true);
    expect((error as LLMResponseError).issues).toEqual([{ message: 'must be number', path: ['items', 2] }]);
    expect((error as LLMResponseError).text).toBe('{"items":[1,2,"x"]}');
    expect((error as Error).message).toMatch(/does not match the schema: `items.2`: must be number/);
    const ok = await MockLLMProvider.fixed('{"items":[1,2]}').generateStructured('Numbers?', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { items: { type: 'array', prefixItems: [{ type: 'number' }] } },
    });
    expect(ok).toEqual({ items: [1, 2] });
  });

  test('an answer that is not JSON is an LLMResponseError carrying the raw text', async () => {
    const error = await MockLLMProvider.fixed('Sure! Here you go: {name: Ada}')
      .generateStructured('Who?', Person)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMResponseError);
    expect(error).toMatchObject({ code: 'LLM_MALFORMED_RESPONSE', provider: 'mock', text: 'Sure! Here you go: {name: Ada}', requestId: 'mock-req-0' });
    expect((error as LLMResponseError).issues?.[0]?.message).toMatch(/^not JSON/);
  });

  test('JSON that does not validate is an LLMResponseError with every issue and its path', async () => {
    const error = (await MockLLMProvider.fixed('{"name":42,"age":-1}')
      .generateStructured('Who?', Person)
      .catch((e: unknown) => e)) as LLMResponseError;
    expect(error.code).toBe('LLM_MALFORMED_RESPONSE');
    expect(error.issues?.map((i) => i.path)).toEqual([['name'], ['age']]);
    expect(error.message).toMatch(/`name`: .*\(and 1 more\)/);
  });

  test('a Markdown code fence around the JSON is tolerated', async () => {
    expect(await MockLLMProvider.fixed('```json\n{"name":"Ada","age":36}\n```').generateStructured('Who?', Person)).toEqual({ name: 'Ada', age: 36 });
  });

  test('a schema that is neither Standard nor an object is refused before any call', async () => {
    const mock = new MockLLMProvider();
    for (const bad of [null, 'string', 42, ['a']]) {
      await expect(mock.generateStructured('x', bad as never)).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'schema' });
    }
    await expect(mock.generateStructured('x', { type: 'nonsense-type' })).rejects.toMatchObject({ field: 'schema' });
    expect(mock.callCount).toBe(0);
  });

  test.each([
    ['openai chat', () => openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' }), { response_format: { type: 'json_schema' } }],
    [
      'openai responses',
      () => openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', api: 'responses' }),
      { text: { format: { type: 'json_schema' } } },
    ],
    [
      'anthropic',
      () => anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' }),
      { output_config: { format: { type: 'json_schema' } } },
    ],
    [
      'gemini',
      () => geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash' }),
      { generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } } },
    ],
  ])('%s: the schema goes out as native structured output; the answer is validated', async (_name, make, wire) => {
    const provider = make();
    next = '{"name":"Ada","age":36}';
    expect(await provider.generateStructured('Who?', Person)).toEqual({ name: 'Ada', age: 36 });
    expect(lastBody()).toMatchObject(wire);
    next = '{"name":"Ada"}';
    await expect(provider.generateStructured('Who?', Person)).rejects.toMatchObject({ code: 'LLM_MALFORMED_RESPONSE', text: '{"name":"Ada"}' });
  });
});

describe('tokenUsage and rateLimit', () => {
  test('totals count every successful complete() and stream(), failures do not; reset starts over', async () => {
    const mock = MockLLMProvider.sequence([
      { content: 'a', usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 4 } },
      { content: 'b', usage: { inputTokens: 5, outputTokens: 7, reasoningTokens: 3 } },
      { error: 'unavailable' },
      { content: 'c', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    expect(mock.tokenUsage).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 });
    await mock.complete({ messages: [{ role: 'user', content: 'x' }] });
    for await (const _ of mock.stream({ messages: [{ role: 'user', content: 'y' }] })) {
      // drain
    }
    await expect(mock.complete({ messages: [{ role: 'user', content: 'z' }] })).rejects.toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE' });
    expect(mock.tokenUsage).toEqual({ calls: 2, inputTokens: 15, outputTokens: 9, totalTokens: 24, cachedInputTokens: 4, reasoningTokens: 3 });
    expect(mock.callCount).toBe(3);
    mock.resetTokenUsage();
    await mock.generate('again');
    expect(mock.tokenUsage).toMatchObject({ calls: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 });
  });

  test('a stream broken off before its finish counts nothing', async () => {
    const mock = MockLLMProvider.fixed('a long enough answer', { chunkSize: 2 });
    for await (const _ of mock.stream({ messages: [{ role: 'user', content: 'x' }] })) break;
    expect(mock.tokenUsage.calls).toBe(0);
  });

  test('rateLimit is the last response’s: undefined before any call and when the last one had none', async () => {
    const mock = MockLLMProvider.sequence([{ content: 'a', rateLimit: { requests: { remaining: 9 } } }, 'b']);
    expect(mock.rateLimit).toBeUndefined();
    await mock.generate('1');
    expect(mock.rateLimit).toEqual({ requests: { remaining: 9 } });
    await mock.generate('2');
    expect(mock.rateLimit).toBeUndefined();
  });

  test('adapters over the real SDKs: totals from the wire usage, rate limits from the headers', async () => {
    next = { content: 'Hi!', usage: { inputTokens: 11, outputTokens: 2 } };
    const chat = openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' });
    await chat.complete({ messages: [{ role: 'user', content: 'Hi' }] });
    for await (const _ of chat.stream({ messages: [{ role: 'user', content: 'Hi' }] })) {
      // drain
    }
    expect(chat.tokenUsage).toMatchObject({ calls: 2, inputTokens: 22, outputTokens: 4, totalTokens: 26 });
    expect(chat.rateLimit).toMatchObject({ requests: { limit: 10000, remaining: 9999 } });
    const claude = anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' });
    await claude.generate('Hi');
    expect(claude.tokenUsage).toMatchObject({ calls: 1, inputTokens: 11, outputTokens: 2 });
    expect(claude.rateLimit?.requests).toMatchObject({ limit: 4000, remaining: 3999 });
  });
});

describe('isAvailable', () => {
  test('runs a health check when none has run, then answers from the last one; never throws', async () => {
    let checks = 0;
    const mock = new MockLLMProvider({
      health: () => {
        checks++;
        return { healthy: checks > 1, latencyMs: 0 };
      },
    });
    expect(await mock.isAvailable()).toBe(false);
    expect(await mock.isAvailable()).toBe(false);
    expect(checks).toBe(1);
    await mock.healthCheck();
    expect(await mock.isAvailable()).toBe(true);
    const throwing = new MockLLMProvider({
      health: () => {
        throw new Error('health endpoint down');
      },
    });
    expect(await throwing.isAvailable()).toBe(false);
    expect(await throwing.healthCheck()).toMatchObject({ healthy: false, error: 'health endpoint down' });
  });

  test('concurrent callers share one health check', async () => {
    let checks = 0;
    const mock = new MockLLMProvider({
      health: async () => {
        checks++;
        await new Promise((r) => setTimeout(r, 20));
        return { healthy: true, latencyMs: 20 };
      },
    });
    expect(await Promise.all([mock.isAvailable(), mock.isAvailable(), mock.isAvailable()])).toEqual([true, true, true]);
    expect(checks).toBe(1);
  });

  test('a successful call counts as a passed check', async () => {
    const mock = new MockLLMProvider({ health: { healthy: false, error: 'down' } });
    await mock.healthCheck();
    expect(await mock.isAvailable()).toBe(false);
    await mock.generate('hi');
    expect(await mock.isAvailable()).toBe(true);
  });

  test('an adapter whose server fails is unavailable', async () => {
    next = { error: 'unavailable' };
    const chat = openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' });
    expect(await chat.isAvailable()).toBe(false);
    next = 'pong';
    expect(await openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' }).isAvailable()).toBe(true);
  });
});

describe('withProtocol', () => {
  const core = (): LLMProviderCore => ({
    name: 'mine',
    model: 'mine-1',
    async complete(request: LLMRequest): Promise<LLMResponse> {
      const text = JSON.stringify({ got: request.messages.length });
      return {
        content: text,
        toolCalls: [],
        finishReason: 'stop',
        model: 'mine-1',
        usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
        latencyMs: 1,
        raw: {},
      };
    },
    async *stream(request: LLMRequest) {
      yield { type: 'finish' as const, response: await this.complete(request) };
    },
    async healthCheck() {
      return { healthy: true, latencyMs: 0 };
    },
  });

  test("gives a user's own provider the whole protocol", async () => {
    const provider = withProtocol(core());
    expectTypeOf(provider).toEqualTypeOf<LLMProvider>();
    expect(provider.name).toBe('mine');
    expect(await provider.generate('x')).toBe('{"got":1}');
    expect(await provider.generateStructured('x', z.object({ got: z.number() }))).toEqual({ got: 1 });
    expect(provider.tokenUsage).toMatchObject({ calls: 2, totalTokens: 14 });
    expect(await provider.isAvailable()).toBe(true);
    expect(hasProtocol(provider)).toBe(true);
    expect(hasProtocol(core())).toBe(false);
  });

  test('a provider that has it already comes back as it is (one set of totals)', () => {
    const mock = new MockLLMProvider();
    expect(withProtocol(mock)).toBe(mock);
    const wrapped = withProtocol(core());
    expect(withProtocol(wrapped)).toBe(wrapped);
  });

  test("the provider's own isAvailable is used when it has one, and a throwing one reads as false", async () => {
    expect(await withProtocol({ ...core(), isAvailable: async () => false }).isAvailable()).toBe(false);
    expect(
      await withProtocol({
        ...core(),
        isAvailable: async () => {
          throw new Error('x');
        },
      }).isAvailable(),
    ).toBe(false);
  });

  test('a provider that throws synchronously still rejects, from complete() and from the first pull', async () => {
    const sync = withProtocol({
      ...core(),
      complete: () => {
        throw new Error('sync complete');
      },
      stream: () => {
        throw new Error('sync stream');
      },
    });
    await expect(sync.complete({ messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow('sync complete');
    const iterator = sync.stream({ messages: [{ role: 'user', content: 'x' }] })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('sync stream');
  });
});

describe('generateStructured under arbitrary answers (fast-check)', () => {
  test('400 arbitrary answers: the parsed value when the text is JSON, else LLMResponseError carrying the exact text — never anything else', async () => {
    const anything = {};
    const answers = fc.oneof(
      fc.string(),
      fc.json(),
      fc.json().map((json) => `\`\`\`json\n${json}\n\`\`\``),
    );
    await fc.assert(
      fc.asyncProperty(answers, async (text) => {
        let expected: unknown;
        let isJson = true;
        try {
          const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
          expected = JSON.parse(fenced ? (fenced[1] as string) : text);
        } catch {
          isJson = false;
        }
        const outcome = await MockLLMProvider.fixed(text)
          .generateStructured('x', anything)
          .then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
        if (isJson) {
          expect(outcome).toEqual({ value: expected });
        } else {
          expect(isLLMError((outcome as { error: unknown }).error, 'LLM_MALFORMED_RESPONSE')).toBe(true);
          expect((outcome as { error: LLMResponseError }).error.text).toBe(text);
        }
      }),
      { numRuns: 400 },
    );
  });
});
