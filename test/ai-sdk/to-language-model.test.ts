// toLanguageModel: the real AI SDK (`ai` 7 with a v4 model, `ai` 6 with a v3 one) running
// generateText with a tool loop, streamText, and structured output on our providers.
import * as ai7 from 'ai';
import * as ai6 from 'ai-v6';
import { describe, expect, test, vi } from 'vitest';
import * as z from 'zod';
import { toLanguageModel } from '../../src/entries/ai-sdk.js';
import { MockLLMProvider } from '../../src/entries/provider.js';

type Sdk = typeof ai7;
const VERSIONS = [
  ['ai 7 (v4)', ai7, 'v4'],
  ['ai 6 (v3)', ai6 as unknown as Sdk, 'v3'],
] as const;

const model = (provider: MockLLMProvider, version: 'v3' | 'v4') =>
  version === 'v4' ? toLanguageModel(provider) : (toLanguageModel(provider, { specificationVersion: 'v3' }) as unknown as ReturnType<typeof toLanguageModel>);

describe.each(VERSIONS)('%s', (_label, sdk, version) => {
  const weather = (seen: unknown[]) =>
    sdk.tool({
      description: 'Weather in a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async (input: { city: string }) => {
        seen.push(input);
        return { city: input.city, sky: 'clear', temperatureC: 21 };
      },
    });

  test('generateText runs a tool loop on MockLLMProvider.toolCalling', async () => {
    const mock = MockLLMProvider.toolCalling('get_weather', { city: 'Paris' }, 'It is 21 °C and clear in Paris.');
    const seen: unknown[] = [];
    const result = await sdk.generateText({
      model: model(mock, version),
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: weather(seen) },
      stopWhen: sdk.stepCountIs(3),
    });
    expect(seen).toEqual([{ city: 'Paris' }]);
    expect(result.text).toBe('It is 21 °C and clear in Paris.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls.map((c) => [c.toolName, c.input])).toEqual([['get_weather', { city: 'Paris' }]]);
    expect(result.steps[0]!.toolResults.map((r) => r.output)).toEqual([{ city: 'Paris', sky: 'clear', temperatureC: 21 }]);
    expect(result.steps[0]!.finishReason).toBe('tool-calls');
    expect(result.finishReason).toBe('stop');
    // what the model was sent on the second step: the tool call and its result
    const second = mock.calls[1]!.request;
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(second.messages[2]).toMatchObject({ role: 'tool', toolCallId: 'call_mock_0_0', name: 'get_weather' });
    expect(JSON.parse(String(second.messages[2]!.content))).toEqual({ city: 'Paris', sky: 'clear', temperatureC: 21 });
    expect(second.tools?.[0]).toMatchObject({ name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', required: ['city'] } });
    expect(result.totalUsage.inputTokens).toBe(mock.tokenUsage.inputTokens);
    expect(result.totalUsage.outputTokens).toBe(mock.tokenUsage.outputTokens);
  });

  test('streamText streams the text chunk by chunk, and runs a tool loop too', async () => {
    const plain = MockLLMProvider.fixed('Streaming words one by one', { chunkSize: 5 });
    const result = sdk.streamText({ model: model(plain, version), prompt: 'Stream please' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('Streaming words one by one');
    expect(deltas.length).toBeGreaterThan(3);
    expect(await result.finishReason).toBe('stop');

    const seen: unknown[] = [];
    const looping = sdk.streamText({
      model: model(MockLLMProvider.toolCalling('get_weather', { city: 'Oslo' }, 'Clear in Oslo.'), version),
      prompt: 'Weather in Oslo?',
      tools: { get_weather: weather(seen) },
      stopWhen: sdk.stepCountIs(3),
    });
    expect(await looping.text).toBe('Clear in Oslo.');
    expect(seen).toEqual([{ city: 'Oslo' }]);
    expect((await looping.steps).length).toBe(2);
  });

  test('structured output: generateObject gets a value that fits the zod schema', async () => {
    const mock = MockLLMProvider.fixed('{"name":"Ada","languages":["English","French"]}');
    const { object } = await sdk.generateObject({
      model: model(mock, version),
      schema: z.object({ name: z.string(), languages: z.array(z.string()) }),
      prompt: 'Who?',
    });
    expect(object).toEqual({ name: 'Ada', languages: ['English', 'French'] });
    expect(mock.calls[0]!.request.responseFormat).toMatchObject({ type: 'json', schema: { type: 'object', required: ['name', 'languages'] } });
  });

  test('structured output: generateText with Output.object, on the mock’s own schema-fitting answer', async () => {
    const result = await sdk.generateText({
      model: model(new MockLLMProvider(), version),
      output: sdk.Output.object({ schema: z.object({ city: z.string(), population: z.number() }) }),
      prompt: 'Biggest city?',
    });
    expect(result.output).toEqual({ city: 'example', population: 0 });
  });

  test('settings reach the provider; what it cannot take comes back as a warning', async () => {
    const mock = MockLLMProvider.fixed('ok');
    const result = await sdk.generateText({
      model: model(mock, version),
      system: 'Be brief.',
      prompt: 'Hi',
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 100,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      topK: 5,
    });
    expect(mock.calls[0]!.request).toMatchObject({
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }],
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 100,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
    });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'topK' })]);
    expect(result.response.modelId).toBe('mock-model');
    expect(result.providerMetadata?.['cassettes']).toMatchObject({ requestId: 'mock-req-0' });
  });

  test('an abort rejects generateText with the reason; a provider failure rejects it with the LLMError', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = sdk.generateText({ model: model(MockLLMProvider.slow({ latencyMs: 5000 }), version), prompt: 'Hi', abortSignal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    await expect(sdk.generateText({ model: model(MockLLMProvider.failing('authentication'), version), prompt: 'Hi', maxRetries: 0 })).rejects.toMatchObject({
      code: 'LLM_AUTHENTICATION',
    });
  });
});

describe('toLanguageModel streams', () => {
  test('an abort mid-stream ends streamText with the reason and closes the provider’s stream', async () => {
    const mock = MockLLMProvider.fixed('a b c d e f g h i j k l m n o p', { chunkSize: 2, chunkDelayMs: 20 });
    const controller = new AbortController();
    const reason = new Error('enough');
    const result = ai7.streamText({ model: toLanguageModel(mock), prompt: 'Go', abortSignal: controller.signal, onError: () => undefined });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          seen.push(part.text);
          if (seen.length === 2) controller.abort(reason);
        }
      }
    })();
    await reading.catch(() => undefined);
    expect(seen.length).toBeLessThan(8);
    await vi.waitFor(() => expect(mock.calls[0]!.status).toBe('aborted'));
  });

  test('a provider that fails before its first event rejects doStream; one that fails midway errors the stream', async () => {
    const failing = toLanguageModel(MockLLMProvider.failing('rate-limit'));
    await expect(failing.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] })).rejects.toMatchObject({ code: 'LLM_RATE_LIMIT' });
    const failure = new Error('connection reset midway');
    const midway = toLanguageModel({
      name: 'midway',
      model: 'm',
      complete: () => Promise.reject(failure),
      async *stream() {
        yield { type: 'text-delta' as const, text: 'partial' };
        throw failure;
      },
      healthCheck: async () => ({ healthy: true, latencyMs: 0 }),
    });
    const { stream } = await midway.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] });
    const reader = stream.getReader();
    const parts: string[] = [];
    const error = await (async () => {
      for (;;) {
        const step = await reader.read();
        if (step.done) return undefined;
        parts.push(step.value.type);
      }
    })().catch((e: unknown) => e);
    expect(parts).toEqual(['stream-start', 'text-start', 'text-delta']);
    expect(error).toBe(failure);
  });

  test('cancelling the model’s stream closes the provider’s', async () => {
    const mock = MockLLMProvider.fixed('a b c d e f g h', { chunkSize: 1, chunkDelayMs: 5 });
    const { stream } = await toLanguageModel(mock).doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(() => expect(mock.calls[0]!.status).toBe('aborted'));
  });

  test('a user message with a non-image file is refused with LLM_INVALID_REQUEST naming the part', async () => {
    const model = toLanguageModel(new MockLLMProvider());
    await expect(
      model.doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: { type: 'data', data: 'JVBERi0=' } } as never] }],
      }),
    ).rejects.toMatchObject({ code: 'LLM_INVALID_REQUEST', field: 'prompt[0].content[0]' });
  });

  test('images reach the provider: bytes as base64 with their type, URLs as URLs (v3 and v4 shapes)', async () => {
    const mock = MockLLMProvider.fixed('I see it');
    const model = toLanguageModel(mock);
    await model.doGenerate({
      prompt: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array([104, 105]) } },
            { type: 'file', mediaType: 'image/*', data: { type: 'url', url: new URL('https://example.com/cat.jpg') } },
            { type: 'file', mediaType: 'image/jpeg', data: new URL('https://example.com/dog.jpg') },
            { type: 'file', mediaType: 'image/webp', data: 'aGk=' },
          ],
        },
      ],
    });
    expect(mock.calls[0]!.request.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', data: 'aGk=', mimeType: 'image/png' },
      { type: 'image', url: 'https://example.com/cat.jpg' },
      { type: 'image', url: 'https://example.com/dog.jpg', mimeType: 'image/jpeg' },
      { type: 'image', data: 'aGk=', mimeType: 'image/webp' },
    ]);
  });
});
