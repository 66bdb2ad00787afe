import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import type { LLMProvider } from '../../src/protocol/provider.js';
import type { LLMRequest } from '../../src/protocol/request.js';
import type { LLMStreamEvent } from '../../src/protocol/response.js';
import { anthropicProvider } from '../../src/providers/anthropic-provider.js';
import type { GeminiClientLike, SdkApiPromise } from '../../src/providers/client-types.js';
import { geminiProvider } from '../../src/providers/gemini-provider.js';
import { openaiProvider } from '../../src/providers/openai-provider.js';
import { haveRealFixtures, REAL_FIXTURES, warnMissingFixtures } from './support/real-fixtures.js';

warnMissingFixtures('adapters: a real Responses stream that fails mid-way');

import { anthropicClient, geminiClient, openaiClient } from './support/sdk-clients.js';
import type { RawAnswer, WireServer } from './support/wire-server.js';
import { startWireServer } from './support/wire-server.js';

let server: WireServer;
let next: MockReply | RawAnswer = 'unset';
beforeAll(async () => {
  server = await startWireServer(() => next);
});
afterAll(async () => {
  await server.close();
});

const lastBody = (): any => server.requests.at(-1)!.body;

const CONVERSATION: LLMRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris?' },
        { type: 'image', data: 'aGk=', mimeType: 'image/png' },
      ],
    },
    { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', toolCallId: 'call_1', content: '{"tempC":21}' },
  ],
  tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  toolChoice: 'auto',
  temperature: 0.3,
  topP: 0.9,
  maxTokens: 50,
  stop: ['END'],
  metadata: { userId: 'u-1' },
};

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('request mapping (what goes on the wire)', () => {
  test('openai chat', async () => {
    next = 'ok';
    await openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' }).complete(CONVERSATION);
    expect(lastBody()).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,aGk=' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"tempC":21}' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 50,
      stop: ['END'],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
      tool_choice: 'auto',
    });
  });

  test('openai responses (and `stop` rejected up front)', async () => {
    next = 'ok';
    const provider = openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', api: 'responses' });
    const before = server.requests.length;
    await expect(provider.complete(CONVERSATION)).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'stop' });
    expect(server.requests.length).toBe(before);
    const { stop: _stop, ...withoutStop } = CONVERSATION;
    await provider.complete({ ...withoutStop, responseFormat: { type: 'json', schema: { type: 'object' } } });
    expect(lastBody()).toMatchObject({
      model: 'gpt-4o-mini',
      input: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather in Paris?' },
            { type: 'input_image', image_url: 'data:image/png;base64,aGk=' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"tempC":21}' },
      ],
      max_output_tokens: 50,
      tools: [{ type: 'function', name: 'get_weather' }],
      text: { format: { type: 'json_schema', name: 'response', schema: { type: 'object' } } },
      metadata: { userId: 'u-1' },
    });
  });

  test('anthropic: system hoisted, tool result as a user block, required → any', async () => {
    next = 'ok';
    await anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' }).complete({
      ...CONVERSATION,
      temperature: 0.3,
      toolChoice: 'required',
    });
    expect(lastBody()).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'aGk=' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"tempC":21}' }] },
      ],
      stop_sequences: ['END'],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      metadata: { user_id: 'u-1' },
    });
  });

  test('gemini: systemInstruction, functionResponse named from the call, generationConfig', async () => {
    next = 'ok';
    await geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash' }).complete(CONVERSATION);
    expect(server.requests.at(-1)!.target).toMatchObject({ endpoint: 'generateContent', model: 'gemini-2.5-flash' });
    expect(lastBody()).toMatchObject({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: 'aGk=' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { tempC: 21 } } }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3, topP: 0.9, maxOutputTokens: 50, stopSequences: ['END'] },
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
  });
});

describe('response mapping', () => {
  test('openai chat: request id, rate limits, raw body with every field', async () => {
    next = { content: 'Hi!', usage: { inputTokens: 11, outputTokens: 2 } };
    const response = await openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(response).toMatchObject({
      content: 'Hi!',
      finishReason: 'stop',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 11, outputTokens: 2, totalTokens: 13, cachedInputTokens: 0, reasoningTokens: 0 },
      rateLimit: { requests: { limit: 10000, remaining: 9999, resetAfterMs: 6 }, tokens: { resetAfterMs: 0 } },
    });
    expect(response.requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.raw).toMatchObject({
      object: 'chat.completion',
      system_fingerprint: expect.any(String),
      service_tier: 'default',
      choices: [{ logprobs: null }],
    });
  });

  test('anthropic stream: raw keeps every event; rate limits and request id from headers', async () => {
    next = { content: 'Hello there', toolCalls: [{ name: 't', arguments: { a: [1, 2] } }] };
    const events = await drain(
      anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' }).stream({ messages: [{ role: 'user', content: 'Hi' }] }),
    );
    const finish = events.at(-1)!;
    if (finish.type !== 'finish') throw new Error('no finish');
    expect(finish.response.toolCalls).toEqual([{ id: expect.stringMatching(/^toolu_01/), name: 't', arguments: { a: [1, 2] } }]);
    // Every event the SDK yields (it drops only the `ping` keep-alives itself).
    expect((finish.response.raw as { type: string }[]).map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(finish.response.rateLimit?.outputTokens).toEqual({ limit: 400000, remaining: 399999, resetAt: '2025-01-01T00:00:01Z' });
    expect(finish.response.requestId).toMatch(/^req_011C/);
  });

  test('gemini: raw is the SDK response incl. sdkHttpResponse; requestId is responseId', async () => {
    next = { content: 'Bonjour' };
    const response = await geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash' }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.raw).toMatchObject({ responseId: response.requestId, modelVersion: 'gemini-2.5-flash', sdkHttpResponse: { headers: expect.any(Object) } });
  });

  test('errors carry provider, status, request id and retryAfterMs', async () => {
    next = { error: { status: 429, message: 'Too many requests', retryAfterMs: 3000 } };
    const providers: LLMProvider[] = [
      openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini' }),
      anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' }),
      geminiProvider(geminiClient(server.origin), { model: 'gemini-2.5-flash' }),
    ];
    for (const provider of providers) {
      const error = await provider.complete({ messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LLM_RATE_LIMIT', provider: provider.name, status: 429, retryAfterMs: 3000 });
      if (provider.name !== 'gemini') expect((error as { requestId?: string }).requestId).toMatch(/^req_/);
    }
  });

  test('anthropic usage counts cache reads and writes as input; gemini counts thoughts as output', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'ok' },
      ],
      stop_reason: 'max_tokens',
      usage: { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 7 },
    };
    const fakeAnthropic = {
      messages: {
        create: (): SdkApiPromise => ({
          withResponse: async () => ({ data: message, response: { headers: new Headers({ 'request-id': 'req_x' }) }, request_id: 'req_x' }),
        }),
      },
    };
    const anthropic = await anthropicProvider(fakeAnthropic, { model: 'claude-haiku-4-5' }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(anthropic).toMatchObject({ content: 'ok', finishReason: 'length', requestId: 'req_x', raw: message });
    expect(anthropic.usage).toEqual({ inputTokens: 115, outputTokens: 7, totalTokens: 122, cachedInputTokens: 100 });

    const geminiAnswer = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'thinking…', thought: true }, { text: '42' }] }, finishReason: 'STOP', safetyRatings: [] }],
      usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 2, thoughtsTokenCount: 291, totalTokenCount: 304 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'abc',
    };
    const fakeGemini: GeminiClientLike = {
      models: {
        generateContent: async () => geminiAnswer,
        generateContentStream: async () => (async function* () {})(),
      },
    };
    const gemini = await geminiProvider(fakeGemini, { model: 'gemini-2.5-pro' }).complete({ messages: [{ role: 'user', content: '?' }] });
    expect(gemini).toMatchObject({ content: '42', model: 'gemini-2.5-pro', requestId: 'abc', raw: geminiAnswer });
    expect(gemini.usage).toEqual({ inputTokens: 11, outputTokens: 293, totalTokens: 304, reasoningTokens: 291 });
  });

  test('gemini safety block maps to content_filter', async () => {
    const blocked: GeminiClientLike = {
      models: {
        generateContent: async () => ({
          candidates: [{ content: { role: 'model' }, finishReason: 'SAFETY', safetyRatings: [{ blocked: true }] }],
          usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 },
        }),
        generateContentStream: async () => (async function* () {})(),
      },
    };
    const response = await geminiProvider(blocked, { model: 'g' }).complete({ messages: [{ role: 'user', content: '?' }] });
    expect(response).toMatchObject({ content: '', finishReason: 'content_filter', usage: { inputTokens: 3, outputTokens: 0, totalTokens: 3 } });
  });

  test('healthCheck reports an unreachable provider as unhealthy, with the error', async () => {
    const provider = openaiProvider(openaiClient('http://127.0.0.1:9'), { model: 'gpt-4o-mini' });
    const health = await provider.healthCheck();
    expect(health).toMatchObject({ healthy: false, error: expect.stringContaining('openai') });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test.skipIf(!haveRealFixtures)('a real Responses stream that fails mid-way (error event) maps to LLMRateLimitError', async () => {
    // The recorded data payloads, framed back into SSE (read at run time, not copied).
    const payloads = readFileSync(join(REAL_FIXTURES, 'openai/responses-stream-error-event.chunks.txt'), 'utf8').trim().split('\n');
    const body = payloads.map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`).join('');
    next = { http: { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body } };
    const provider = openaiProvider(openaiClient(server.origin), { model: 'gpt-4o-mini', api: 'responses' });
    await expect(drain(provider.stream({ messages: [{ role: 'user', content: 'Hi' }] }))).rejects.toMatchObject({
      code: 'LLM_RATE_LIMIT',
      provider: 'openai',
    });
  });

  test('an Anthropic overloaded_error event after the 200 maps to LLMProviderUnavailableError', async () => {
    const start = {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    };
    const body =
      `event: message_start\ndata: ${JSON.stringify(start)}\n\n` +
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    next = { http: { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body } };
    const provider = anthropicProvider(anthropicClient(server.origin), { model: 'claude-haiku-4-5' });
    await expect(drain(provider.stream({ messages: [{ role: 'user', content: 'Hi' }] }))).rejects.toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      provider: 'anthropic',
    });
  });
});
