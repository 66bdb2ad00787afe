// fromLanguageModel: LLMProviders over the real AI SDK providers (@ai-sdk/openai, /anthropic,
// /google at v4 for `ai` 7, @ai-sdk/openai at v3 for `ai` 6) against a local wire server.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv3 } from 'ai-sdk-openai-v3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as z from 'zod';
import type { AnyLanguageModel } from '../../src/entries/ai-sdk.js';
import { fromLanguageModel } from '../../src/entries/ai-sdk.js';
import type { LLMProvider, LLMStreamEvent } from '../../src/entries/provider.js';
import { isLLMError, withRetry } from '../../src/entries/provider.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import type { RawAnswer, WireServer } from '../protocol/support/wire-server.js';
import { startWireServer } from '../protocol/support/wire-server.js';

let server: WireServer;
let next: MockReply | RawAnswer = 'ok';
beforeAll(async () => {
  server = await startWireServer(() => next);
});
afterAll(async () => {
  await server.close();
});

const MODELS: readonly [string, () => AnyLanguageModel, string][] = [
  ['@ai-sdk/openai (v4, responses)', () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` })('gpt-4o-mini'), 'openai.responses'],
  ['@ai-sdk/openai (v4, chat)', () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` }).chat('gpt-4o-mini'), 'openai.chat'],
  [
    '@ai-sdk/openai (v3, responses)',
    () => createOpenAIv3({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` })('gpt-4o-mini') as AnyLanguageModel,
    'openai.responses',
  ],
  ['@ai-sdk/anthropic (v4)', () => createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.origin}/v1` })('claude-haiku-4-5'), 'anthropic.messages'],
  ['@ai-sdk/google (v4)', () => createGoogleGenerativeAI({ apiKey: 'g-test', baseURL: `${server.origin}/v1beta` })('gemini-2.5-flash'), 'google.generative-ai'],
];

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const HI = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const TOOLS = {
  tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
  toolChoice: { type: 'tool', name: 'get_weather' } as const,
};

describe.each(MODELS)('%s', (_label, make, providerName) => {
  const provider = (): LLMProvider => fromLanguageModel(make());

  test('complete(): text, usage that adds up, model and name from the model', async () => {
    next = { content: 'Hello from the wire', usage: { inputTokens: 12, outputTokens: 4 } };
    const response = await provider().complete(HI);
    expect(response).toMatchObject({ content: 'Hello from the wire', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 } });
    expect(response.model).toBeTypeOf('string');
    expect(provider().name).toBe(providerName);
  });

  test('stream(): text deltas concatenate to the final content; tool calls stream their arguments', async () => {
    next = { content: 'Streamed reply in pieces' };
    const events = await drain(provider().stream(HI));
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(text).toBe('Streamed reply in pieces');
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { content: 'Streamed reply in pieces' } });
    next = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
    const toolEvents = await drain(provider().stream({ ...HI, ...TOOLS }));
    const json = toolEvents.flatMap((e) => (e.type === 'tool-call-delta' ? [e.argumentsDelta] : [])).join('');
    expect(JSON.parse(json)).toEqual({ city: 'Paris' });
    expect(toolEvents.at(-1)).toMatchObject({
      type: 'finish',
      response: { finishReason: 'tool_calls', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
    });
  });

  test('complete() with a forced tool: the call comes back parsed', async () => {
    next = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] };
    const response = await provider().complete({ ...HI, ...TOOLS });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.toolCalls).toEqual([{ id: expect.any(String), name: 'get_weather', arguments: { city: 'Rome' } }]);
  });

  test('generateStructured() through the model’s native structured output', async () => {
    next = '{"answer":"Paris"}';
    expect(await provider().generateStructured('Capital of France?', z.object({ answer: z.string() }))).toEqual({ answer: 'Paris' });
  });

  test.each([
    [{ error: { kind: 'rate-limit', retryAfterMs: 3000 } } as MockReply, 'LLM_RATE_LIMIT'],
    [{ error: 'unavailable' } as MockReply, 'LLM_PROVIDER_UNAVAILABLE'],
    [{ error: 'authentication' } as MockReply, 'LLM_AUTHENTICATION'],
    [{ error: 'invalid-request' } as MockReply, 'LLM_INVALID_REQUEST'],
    [{ error: 'malformed' } as MockReply, 'LLM_MALFORMED_RESPONSE'],
  ])('the AI SDK’s errors map to the hierarchy: %j → %s', async (reply, code) => {
    next = reply;
    const model = make() as AnyLanguageModel & { config?: unknown };
    const error = await fromLanguageModel(model)
      .complete(HI)
      .catch((e: unknown) => e);
    expect(isLLMError(error)).toBe(true);
    expect(error).toMatchObject({ code, provider: providerName });
    if (code === 'LLM_RATE_LIMIT') expect(error).toMatchObject({ status: 429, retryAfterMs: 3000 });
    const streamError = await drain(fromLanguageModel(model).stream(HI)).catch((e: unknown) => e);
    expect(streamError).toMatchObject({ code });
  });

  test('invalid requests are refused before the model is called; an abort rejects with its reason', async () => {
    const before = server.requests.length;
    await expect(provider().complete({ messages: [] })).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'messages' });
    expect(server.requests.length).toBe(before);
    next = { content: 'slow', chunkDelayMs: 0 };
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = provider().complete(HI, { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  test('withRetry works over it: a 429 then an answer', async () => {
    let calls = 0;
    server.respond = () => (calls++ === 0 ? { error: { kind: 'rate-limit', retryAfterMs: 1 } } : 'after the retry');
    try {
      expect(await withRetry(provider(), { sleep: async () => undefined }).generate('Hi')).toBe('after the retry');
      expect(calls).toBe(2);
    } finally {
      server.respond = () => next;
    }
  });
});

test('a setting the model says it ignored is refused, naming the field: JSON mode without a schema on @ai-sdk/anthropic', async () => {
  next = 'Prose, not JSON.';
  const claude = fromLanguageModel(createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.origin}/v1` })('claude-haiku-4-5'));
  const request = { ...HI, responseFormat: { type: 'json' as const } };
  await expect(claude.complete(request)).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'responseFormat', provider: 'anthropic.messages' });
  await expect(drain(claude.stream(request))).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'responseFormat' });
  // with a schema it is native structured output, and works
  next = '{"answer":"Paris"}';
  expect(await claude.generateStructured('Capital?', z.object({ answer: z.string() }))).toEqual({ answer: 'Paris' });
});

test('fromLanguageModel refuses a model of a specification it does not know', () => {
  const v2 = {
    specificationVersion: 'v2',
    provider: 'old',
    modelId: 'm',
    doGenerate: async () => ({}),
    doStream: async () => ({ stream: new ReadableStream() }),
  };
  expect(() => fromLanguageModel(v2)).toThrow(
    expect.objectContaining({ code: 'LLM_CASSETTE_OPTIONS', message: expect.stringMatching(/v3 \(ai 6\) or v4 \(ai 7\)/) }),
  );
});
