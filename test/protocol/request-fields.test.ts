// Section 3 of the protocol: what a request may say, what each adapter sends for it, and what it
// refuses before anything goes on the wire. The real SDKs against a local wire server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LLMProvider, LLMRequest } from '../../src/entries/provider.js';
import { anthropicProvider, geminiProvider, isLLMError, MockLLMProvider, openaiProvider } from '../../src/entries/provider.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import { anthropicClient, geminiClient, openaiClient } from './support/sdk-clients.js';
import type { RawAnswer, WireServer } from './support/wire-server.js';
import { startWireServer } from './support/wire-server.js';

let server: WireServer;
const next: MockReply | RawAnswer = 'ok';
beforeAll(async () => {
  server = await startWireServer(() => next);
});
afterAll(async () => {
  await server.close();
});

const HI: LLMRequest = { messages: [{ role: 'user', content: 'Hi' }] };
const lastBody = (): Record<string, unknown> => server.requests.at(-1)!.body as Record<string, unknown>;

type Adapter = 'chat' | 'responses' | 'anthropic' | 'gemini';
function adapter(kind: Adapter, options: { maxOutputTokens?: number } = {}): LLMProvider {
  switch (kind) {
    case 'chat':
      return openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', ...options });
    case 'responses':
      return openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', api: 'responses', ...options });
    case 'anthropic':
      return anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5', ...options });
    case 'gemini':
      return geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash', ...options });
  }
}
const ADAPTERS: readonly Adapter[] = ['chat', 'responses', 'anthropic', 'gemini'];

/** The refusal of `request`, checked to have left nothing on the wire. */
async function refusal(provider: LLMProvider, request: unknown): Promise<{ field?: string; message: string; allowed?: string; code: string }> {
  const before = server.requests.length;
  const error = await provider.complete(request as LLMRequest).then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  let streamError: unknown;
  try {
    for await (const _ of provider.stream(request as LLMRequest)) {
      // drain
    }
  } catch (e) {
    streamError = e;
  }
  expect(server.requests.length, 'a refused request reached the server').toBe(before);
  expect(isLLMError(error, 'LLM_INVALID_REQUEST')).toBe(true);
  expect(isLLMError(streamError, 'LLM_INVALID_REQUEST')).toBe(true);
  return error as { field?: string; message: string; allowed?: string; code: string };
}

describe('maxTokens above the output limit', () => {
  test.each(ADAPTERS)('%s refuses maxTokens 100 000 by default, naming the field, the limit and the option', async (kind) => {
    const error = await refusal(adapter(kind), { ...HI, maxTokens: 100_000 });
    expect(error.field).toBe('maxTokens');
    expect(error.message).toContain('32768');
    expect(error.message).toContain('maxOutputTokens');
    expect(error.message).toContain('got 100000');
  });

  test.each(ADAPTERS)('%s accepts 32 768 by default and more with maxOutputTokens', async (kind) => {
    const drain = async (provider: LLMProvider, request: LLMRequest): Promise<void> => {
      for await (const _ of provider.stream(request)) {
        // the stream is accepted by every SDK at any length
      }
    };
    await drain(adapter(kind), { ...HI, maxTokens: 32_768 });
    await drain(adapter(kind, { maxOutputTokens: 128_000 }), { ...HI, maxTokens: 100_000 });
    const limited = await refusal(adapter(kind, { maxOutputTokens: 1000 }), { ...HI, maxTokens: 1001 });
    expect(limited.message).toContain('at most 1000');
  });

  test('MockLLMProvider takes the same option', async () => {
    await expect(new MockLLMProvider().complete({ ...HI, maxTokens: 100_000 })).rejects.toMatchObject({ field: 'maxTokens' });
    await expect(new MockLLMProvider({ maxOutputTokens: 200_000 }).complete({ ...HI, maxTokens: 100_000 })).resolves.toMatchObject({
      finishReason: 'stop',
    });
  });
});

describe('a blank last user message', () => {
  test.each(ADAPTERS)("%s refuses '' and whitespace, as text or as text parts", async (kind) => {
    for (const content of ['', '   ', '\n\t ', [{ type: 'text', text: '  ' }], []]) {
      const error = await refusal(adapter(kind), { messages: [{ role: 'user', content }] });
      expect(error.field).toBe('messages[0].content');
      expect(error.message).toContain('not only whitespace');
    }
  });

  test('an image part, or blank text in an earlier turn, is fine', async () => {
    const provider = adapter('chat');
    await provider.complete({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: ' ' },
            { type: 'image', url: 'https://x/y.png' },
          ],
        },
      ],
    });
    await provider.complete({
      messages: [
        { role: 'user', content: ' ' },
        { role: 'assistant', content: 'Yes?' },
        { role: 'user', content: 'Go on' },
      ],
    });
  });
});

describe('frequencyPenalty, presencePenalty and seed', () => {
  const tuned: LLMRequest = { ...HI, frequencyPenalty: 0.5, presencePenalty: -0.25, seed: 42 };

  test('OpenAI Chat Completions sends them as frequency_penalty, presence_penalty, seed', async () => {
    await adapter('chat').complete(tuned);
    expect(lastBody()).toMatchObject({ frequency_penalty: 0.5, presence_penalty: -0.25, seed: 42 });
  });

  test('Gemini sends them in generationConfig', async () => {
    await adapter('gemini').complete(tuned);
    expect(lastBody()['generationConfig']).toMatchObject({ frequencyPenalty: 0.5, presencePenalty: -0.25, seed: 42 });
  });

  test.each([
    ['anthropic', /not supported by anthropic/],
    ['responses', /not supported by the OpenAI Responses API/],
  ] as const)('%s refuses each of them, naming the field and the provider', async (kind, by) => {
    for (const field of ['frequencyPenalty', 'presencePenalty', 'seed'] as const) {
      const error = await refusal(adapter(kind), { ...HI, [field]: field === 'seed' ? 1 : 0.5 });
      expect(error.field).toBe(field);
      expect(error.message).toMatch(by);
    }
  });

  test.each([
    [{ frequencyPenalty: 2.5 }, 'frequencyPenalty', /from -2 to 2/],
    [{ presencePenalty: Number.NaN }, 'presencePenalty', /from -2 to 2/],
    [{ seed: 1.5 }, 'seed', /an integer/],
  ])('%j is refused (%s)', async (extra, field, message) => {
    const error = await refusal(adapter('chat'), { ...HI, ...extra });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('unknown keys are refused, never dropped', () => {
  test.each([
    [{ ...HI, frequency_penalty: 1 }, 'frequency_penalty'],
    [{ ...HI, maxOutputTokens: 5 }, 'maxOutputTokens'],
    [{ messages: [{ role: 'user', content: 'Hi', name: 'bob' }] }, 'messages[0].name'],
    [{ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: {} }] }] }, 'messages[0].content[0].cache_control'],
    [{ ...HI, tools: [{ name: 't', strict: true }] }, 'tools[0].strict'],
    [{ ...HI, responseFormat: { type: 'json', strict: true } }, 'responseFormat.strict'],
  ])('%j → %s', async (request, field) => {
    for (const kind of ADAPTERS) {
      const error = await refusal(adapter(kind), request);
      expect(error.field).toBe(field);
      expect(error.allowed).toMatch(/one of the known keys/);
    }
  });
});

describe('providerOptions: the escape hatch in wire names', () => {
  const request: LLMRequest = {
    ...HI,
    providerOptions: {
      openai: { reasoning_effort: 'low', service_tier: 'flex' },
      anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      gemini: { thinkingConfig: { thinkingBudget: 0 }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
    },
  };

  test('each adapter merges its own key into its request, and only its own', async () => {
    await adapter('chat').complete(request);
    expect(lastBody()).toMatchObject({ reasoning_effort: 'low', service_tier: 'flex' });
    expect(lastBody()).not.toHaveProperty('thinking');
    await adapter('responses').complete(request);
    expect(lastBody()).toMatchObject({ reasoning_effort: 'low', service_tier: 'flex' });
    await adapter('anthropic').complete(request);
    expect(lastBody()).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(lastBody()).not.toHaveProperty('reasoning_effort');
    await adapter('gemini').complete(request);
    expect(lastBody()).toMatchObject({
      generationConfig: { thinkingConfig: { thinkingBudget: 0 } },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
  });

  test("the caller's fields win over the adapter's own", async () => {
    await adapter('chat').complete({ ...HI, maxTokens: 10, providerOptions: { openai: { max_completion_tokens: 20 } } });
    expect(lastBody()).toMatchObject({ max_completion_tokens: 20 });
  });

  test.each([
    [{ ...HI, providerOptions: 'fast' }, 'providerOptions'],
    [{ ...HI, providerOptions: { openai: ['x'] } }, 'providerOptions.openai'],
  ])('a malformed providerOptions is refused: %j', async (bad, field) => {
    expect((await refusal(adapter('chat'), bad)).field).toBe(field);
  });
});

test('@anthropic-ai/sdk refusing a long non-streaming call surfaces as an invalid maxTokens, with the fix', async () => {
  const before = server.requests.length;
  const error = await adapter('anthropic')
    .complete({ ...HI, maxTokens: 32_768 })
    .catch((e: unknown) => e);
  expect(isLLMError(error, 'LLM_INVALID_REQUEST')).toBe(true);
  expect(error).toMatchObject({ field: 'maxTokens', provider: 'anthropic' });
  expect((error as Error).message).toMatch(/use stream\(\)/);
  expect(server.requests.length).toBe(before);
  await adapter('anthropic').complete({ ...HI, maxTokens: 21_000 });
});
