// fromLanguageModel on what real providers seldom say: the AI SDK's own scripted model
// (MockLanguageModelV4 from `ai/test`) plays the stream parts and results at the edges.
import type { LanguageModelV4GenerateResult, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { describe, expect, test, vi } from 'vitest';
import { fromLanguageModel } from '../../src/entries/ai-sdk.js';
import type { LLMStreamEvent } from '../../src/entries/provider.js';

const HI = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const USAGE = { inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 2, text: 2, reasoning: undefined } };

function generated(partial: Partial<LanguageModelV4GenerateResult>): LanguageModelV4GenerateResult {
  return { content: [], finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE, warnings: [], ...partial };
}

const streaming = (parts: LanguageModelV4StreamPart[]) => new MockLanguageModelV4({ doStream: { stream: convertArrayToReadableStream(parts) } });

async function drain(stream: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const events: LLMStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('complete()', () => {
  test("finish reasons: tool calls behind a 'stop' are tool_calls, 'other' is an error; missing usage counts zero; provider-run tools are not the caller's", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: [
        generated({
          content: [
            { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"q":"x"}' },
            { type: 'tool-call', toolCallId: 's1', toolName: 'web_search', input: '{}', providerExecuted: true },
          ],
        }),
        generated({
          content: [{ type: 'text', text: 'hm' }],
          finishReason: { unified: 'other', raw: 'weird' },
          usage: { inputTokens: {}, outputTokens: {} } as never,
        }),
      ],
    });
    const provider = fromLanguageModel(model);
    const first = await provider.complete(HI);
    expect(first).toMatchObject({ finishReason: 'tool_calls', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { q: 'x' } }], usage: { totalTokens: 5 } });
    const second = await provider.complete(HI);
    expect(second).toMatchObject({ content: 'hm', finishReason: 'error', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
  });

  test('tool-call arguments that are not JSON are a malformed response', async () => {
    const model = new MockLanguageModelV4({ doGenerate: generated({ content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{broken' }] }) });
    await expect(fromLanguageModel(model).complete(HI)).rejects.toMatchObject({
      code: 'LLM_MALFORMED_RESPONSE',
      message: expect.stringMatching(/not JSON: \{broken/),
    });
  });

  test('healthCheck() reports a failing model as unhealthy, with the reason', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw Object.assign(new Error('Service Unavailable'), { name: 'AI_APICallError', statusCode: 503 });
      },
    });
    expect(await fromLanguageModel(model).healthCheck()).toMatchObject({ healthy: false, error: expect.stringMatching(/Service Unavailable/) });
  });
});

describe('stream()', () => {
  test('a tool call sent whole (no input deltas) arrives as one delta; a provider-run one is left out', async () => {
    const events = await drain(
      fromLanguageModel(
        streaming([
          { type: 'stream-start', warnings: [] },
          { type: 'tool-call', toolCallId: 's1', toolName: 'web_search', input: '{}', providerExecuted: true },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"q":"x"}' },
          { type: 'finish', usage: USAGE, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
        ]),
      ).stream(HI),
    );
    expect(events).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'c1', name: 'lookup', argumentsDelta: '{"q":"x"}' },
      { type: 'finish', response: expect.objectContaining({ finishReason: 'tool_calls', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { q: 'x' } }] }) },
    ]);
  });

  test('an error part fails the stream with the error, mapped', async () => {
    const model = streaming([
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'par' },
      { type: 'error', error: Object.assign(new Error('overloaded'), { name: 'AI_APICallError', statusCode: 529 }) },
    ]);
    const seen: LLMStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of fromLanguageModel(model).stream(HI)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: 'text-delta', text: 'par' }]);
    expect(error).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', status: 529 });
  });

  test('a stream that ends without a finish part is malformed', async () => {
    const model = streaming([
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'cut' },
    ]);
    await expect(drain(fromLanguageModel(model).stream(HI))).rejects.toMatchObject({ code: 'LLM_MALFORMED_RESPONSE' });
  });

  test("breaking out early cancels the model's stream", async () => {
    const cancel = vi.fn();
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings: [] });
        controller.enqueue({ type: 'text-start', id: 't' });
        controller.enqueue({ type: 'text-delta', id: 't', delta: 'first' });
      },
      cancel,
    });
    for await (const _ of fromLanguageModel(new MockLanguageModelV4({ doStream: { stream } })).stream(HI)) break;
    await vi.waitFor(() => expect(cancel).toHaveBeenCalled());
  });
});
