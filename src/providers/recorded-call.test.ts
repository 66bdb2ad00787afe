import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeCassette } from '../cassette/codec.js';
import { httpInteractions } from '../journal/timeline.js';
import { tryParseJson } from '../match/body.js';
import { requestView } from '../session/request-view.js';
import { recordedEvents } from '../stream/recorded-events.js';
import type { Interaction } from '../types.js';
import { errorMessageOf, readAnswer, readStreamAnswer, summarizeRequest, targetOf } from './recorded-call.js';

const load = (name: string): Interaction[] => {
  const file = `__cassettes__/conformance/${name}.yaml`;
  return httpInteractions(decodeCassette(readFileSync(file, 'utf8'), file));
};

async function answerOf(interaction: Interaction) {
  const target = targetOf(interaction.request.method, interaction.request.url);
  const events = recordedEvents(interaction.response!);
  if (events) return readStreamAnswer(target, events);
  const body = interaction.response!.body!;
  return readAnswer(target, 'json' in body ? body.json : tryParseJson((body as { text: string }).text)?.value);
}

describe.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'])("the project's %s cassette read by the adapters", (name) => {
  const interactions = load(name);

  test('a whole answer and the same answer streamed: text, finish, usage that adds up', async () => {
    for (const index of [0, 2]) {
      const answer = await answerOf(interactions[index]!);
      expect(answer).toMatchObject({ text: 'Hello! Nice to meet you.', toolCalls: [], finishReason: 'stop' });
      expect(answer?.problem).toBeUndefined();
      expect(answer!.usage!.totalTokens).toBe(answer!.usage!.inputTokens + answer!.usage!.outputTokens);
      expect(answer!.usage!.totalTokens).toBeGreaterThan(0);
    }
  });

  test('a tool call, whole (#14) and streamed (#16)', async () => {
    for (const index of [14, 16]) {
      const answer = await answerOf(interactions[index]!);
      expect(answer).toMatchObject({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls' });
    }
  });

  test('what each request asked for', () => {
    const first = interactions[0]!;
    const summary = summarizeRequest(targetOf(first.request.method, first.request.url), requestView(first.request).body);
    expect(summary).toMatchObject({ messages: 1, maxTokens: 64, stream: false });
    expect(summary.api).toMatch(/^(openai|anthropic|gemini) /);
    expect(summary.model).toMatch(/^(gpt|claude|gemini)-/);
    const tools = interactions[14]!;
    expect(summarizeRequest(targetOf(tools.request.method, tools.request.url), requestView(tools.request).body).tools).toEqual(['get_weather']);
  });
});

describe('recorded calls', () => {
  test.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'])('%s error bodies give the provider message', (name) => {
    const [rateLimited] = load(`${name}-fault-rate-limit`);
    const body = rateLimited!.response!.body!;
    expect(errorMessageOf('json' in body ? body.json : JSON.parse((body as { text: string }).text))).toBe(
      'Rate limit reached for requests. Please try again in 2s.',
    );
  });

  test('a malformed body or a cut stream is a partial answer with the reason', async () => {
    const [malformed] = load('anthropic-fault-malformed');
    expect((await answerOf(malformed!))?.problem).toMatch(/malformed response/);
    const cut = await readStreamAnswer(targetOf('POST', 'https://api.openai.com/v1/chat/completions'), [
      { data: { choices: [{ index: 0, delta: { content: 'Hal' } }] }, json: true, atMs: 1 },
    ]);
    expect(cut).toMatchObject({ text: 'Hal', problem: expect.stringContaining('ended without a finish_reason') });
    const gemini = await readStreamAnswer(targetOf('POST', 'https://g.test/v1beta/models/m:streamGenerateContent?alt=sse'), [
      { data: { candidates: [{ content: { parts: [{ text: 'Hal' }] } }] }, json: true, atMs: 1 },
    ]);
    expect(gemini).toMatchObject({ text: 'Hal', problem: 'the stream ended without a finishReason' });
  });

  test('requests of every API shape: input strings, contents, tools of each kind, temperatures and limits', () => {
    const chat = targetOf('POST', 'https://x.test/v1/chat/completions');
    expect(
      summarizeRequest(chat, {
        model: 'm',
        messages: [{}, {}],
        temperature: 0.3,
        max_completion_tokens: 9,
        tools: [{ function: { name: 'f' } }],
        stream: true,
      }),
    ).toEqual({
      api: 'openai chat',
      model: 'm',
      messages: 2,
      temperature: 0.3,
      maxTokens: 9,
      tools: ['f'],
      stream: true,
    });
    expect(summarizeRequest(targetOf('POST', 'https://x.test/v1/responses'), { input: 'hi', tools: [{ type: 'web_search' }], max_output_tokens: 5 })).toEqual({
      api: 'openai responses',
      messages: 1,
      maxTokens: 5,
      tools: ['web_search'],
      stream: false,
    });
    const gemini = targetOf('POST', 'https://g.test/v1beta/models/gemini-x:streamGenerateContent');
    expect(
      summarizeRequest(gemini, {
        contents: [{}],
        generationConfig: { temperature: 0, maxOutputTokens: 7 },
        tools: [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }] }],
      }),
    ).toEqual({ api: 'gemini streamGenerateContent', model: 'gemini-x', messages: 1, temperature: 0, maxTokens: 7, tools: ['a', 'b'], stream: true });
    expect(summarizeRequest(undefined, 'not json')).toEqual({ stream: false });
    expect(readAnswer(undefined, {})).toBeUndefined();
    expect(readAnswer(targetOf('POST', 'https://x.test/v1/embeddings'), {})).toBeUndefined();
  });

  test('a whole body answered to a Gemini stream request (the JSON-array form) is read element by element', () => {
    const target = targetOf('POST', 'https://g.test/v1beta/models/m:streamGenerateContent');
    const chunk = (text: string, finishReason?: string) => ({ candidates: [{ content: { parts: [{ text }] }, ...(finishReason ? { finishReason } : {}) }] });
    expect(readAnswer(target, [chunk('Hel'), chunk('lo', 'STOP')])).toMatchObject({ text: 'Hello', finishReason: 'stop' });
  });

  test('provider error messages in their places', () => {
    expect(errorMessageOf({ error: 'plain' })).toBe('plain');
    expect(errorMessageOf([{ error: { message: 'in an array' } }])).toBe('in an array');
    expect(errorMessageOf({ nothing: 1 })).toBeUndefined();
  });
});
