import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stableVector } from '../../src/mock/wire/deterministic.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import { anthropicClient, geminiClient, openaiClient } from './support/sdk-clients.js';
import type { WireRequest, WireServer } from './support/wire-server.js';
import { startWireServer } from './support/wire-server.js';

// The real SDKs must parse every builder's output without complaint: served over real HTTP by
// the local synthetic server, read by the SDKs' own parsers and stream accumulators.
let server: WireServer;
let next: MockReply | ((request: WireRequest) => MockReply) = 'unset';

beforeAll(async () => {
  server = await startWireServer((request) => (typeof next === 'function' ? next(request) : next));
});
afterAll(async () => {
  await server.close();
});

const TOOL = { name: 'get_weather', arguments: { city: 'Paris', days: 2, units: { temp: 'C' } } };
const TEXT = 'Sunny in Paris — 21 °C, light wind. ☀️ Enjoy!';

describe('openai SDK', () => {
  test('chat.completions.create parses a completion with text and a tool call', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const completion = await openaiClient(server.origin).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(completion.choices[0]?.message.content).toBe(TEXT);
    expect(
      JSON.parse(completion.choices[0]!.message.tool_calls![0]!.type === 'function' ? completion.choices[0]!.message.tool_calls![0]!.function.arguments : ''),
    ).toEqual(TOOL.arguments);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  });

  test('chat.completions.stream().finalChatCompletion() rebuilds text, tool call and usage', async () => {
    next = { content: TEXT, toolCalls: [TOOL, { name: 'get_time', arguments: {} }] };
    const stream = openaiClient(server.origin).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas.join('')).toBe(TEXT);
    const message = final.choices[0]!.message;
    expect(message.content).toBe(TEXT);
    expect(message.tool_calls).toHaveLength(2);
    const [first, second] = message.tool_calls!;
    expect(first?.type === 'function' && JSON.parse(first.function.arguments)).toEqual(TOOL.arguments);
    expect(second?.type === 'function' && second.function.name).toBe('get_time');
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  test('responses.create parses the response object (output_text, function_call)', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const response = await openaiClient(server.origin).responses.create({ model: 'gpt-4o-mini', input: 'Weather?' });
    expect(response.output_text).toBe(TEXT);
    const call = response.output.find((item) => item.type === 'function_call');
    expect(call && call.type === 'function_call' && JSON.parse(call.arguments)).toEqual(TOOL.arguments);
    expect(response.status).toBe('completed');
  });

  test('responses.stream() emits deltas and finalResponse() is complete', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const stream = openaiClient(server.origin).responses.stream({ model: 'gpt-4o-mini', input: 'Weather?' });
    const deltas: string[] = [];
    const argumentDeltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe(TEXT);
    expect(JSON.parse(argumentDeltas.join(''))).toEqual(TOOL.arguments);
    expect(final.output_text).toBe(TEXT);
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  test('embeddings: the default base64 answer decodes to the same floats as the float answer', async () => {
    next = '';
    const client = openaiClient(server.origin);
    const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['Hello, world!', 'Bye'] });
    expect(server.requests.at(-1)!.body).toMatchObject({ encoding_format: 'base64' });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['Hello, world!', 'Bye'], encoding_format: 'float' });
    expect(base64.data).toHaveLength(2);
    expect(base64.data[0]!.embedding).toHaveLength(1536);
    expect(base64.data[0]!.embedding).toEqual(floats.data[0]!.embedding);
    expect(floats.data[1]!.embedding).toEqual(stableVector('text-embedding-3-small\nBye', 1536));
  });

  test('a 429 with retry-after becomes RateLimitError with status, headers and request id', async () => {
    next = { error: { status: 429, message: 'Rate limit reached', retryAfterMs: 2000 } };
    const error = await openaiClient(server.origin)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect((error as object).constructor.name).toBe('RateLimitError');
    expect((error as { headers: Headers }).headers.get('retry-after')).toBe('2');
    expect((error as { requestID: string }).requestID).toMatch(/^req_/);
  });
});

describe('@anthropic-ai/sdk', () => {
  test('messages.create parses a message with text and tool_use', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const message = await anthropicClient(server.origin).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: TEXT });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: TOOL.name, input: TOOL.arguments });
    expect(message.stop_reason).toBe('tool_use');
  });

  test('messages.stream().finalMessage() rebuilds text and tool input from the deltas', async () => {
    next = { content: TEXT, toolCalls: [TOOL, { name: 'get_time', arguments: {} }] };
    const stream = anthropicClient(server.origin).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe(TEXT);
    expect(final.content).toHaveLength(3);
    expect(final.content[1]).toMatchObject({ type: 'tool_use', input: TOOL.arguments });
    expect(final.content[2]).toMatchObject({ type: 'tool_use', name: 'get_time', input: {} });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  test('messages.countTokens parses { input_tokens }', async () => {
    next = { content: '', usage: { inputTokens: 42 } };
    const count = await anthropicClient(server.origin).messages.countTokens({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(count.input_tokens).toBe(42);
  });

  test('a 529 becomes an overloaded APIError with request id', async () => {
    next = { error: { status: 529, message: 'Overloaded' } };
    const error = await anthropicClient(server.origin)
      .messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 529, error: { type: 'error', error: { type: 'overloaded_error' } } });
    expect((error as { requestID: string }).requestID).toMatch(/^req_011C/);
  });
});

describe('@google/genai', () => {
  test('models.generateContent parses text and function calls', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const response = await geminiClient(server.origin).models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    const textOf = (parts: { text?: string }[] | undefined): string => (parts ?? []).map((p) => p.text ?? '').join('');
    expect(textOf(response.candidates?.[0]?.content?.parts)).toBe(TEXT);
    expect(response.functionCalls?.[0]).toMatchObject({ name: TOOL.name, args: TOOL.arguments });
    expect(response.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
    expect(response.sdkHttpResponse?.headers?.['content-type']).toContain('application/json');
  });

  test('models.generateContentStream parses the SSE frames', async () => {
    next = { content: TEXT, toolCalls: [TOOL] };
    const stream = await geminiClient(server.origin).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    let text = '';
    const calls: unknown[] = [];
    let finish: string | undefined;
    for await (const chunk of stream) {
      text += (chunk.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? '').join('');
      calls.push(...(chunk.functionCalls ?? []));
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(server.requests.at(-1)!.target.streamFormat).toBe('sse');
    expect(text).toBe(TEXT);
    expect(calls).toEqual([expect.objectContaining({ name: TOOL.name, args: TOOL.arguments })]);
    expect(finish).toBe('STOP');
  });

  test('models.embedContent parses batchEmbedContents', async () => {
    next = '';
    const response = await geminiClient(server.origin).models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['one', 'two'],
      config: { outputDimensionality: 8 },
    });
    expect(server.requests.at(-1)!.target.endpoint).toBe('batchEmbedContents');
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings![0]!.values).toHaveLength(8);
  });

  test('a 429 becomes ApiError with status 429 and RetryInfo in the message', async () => {
    next = { error: { status: 429, message: 'Resource has been exhausted', retryAfterMs: 34000 } };
    const error = await geminiClient(server.origin)
      .models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 429 });
    expect(String((error as Error).message)).toContain('"retryDelay":"34s"');
  });
});
