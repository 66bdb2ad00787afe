import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { withMockLLM } from '../../src/entries/mock.js';
import { withCassette } from '../../src/index.js';

// real hosts: the mock answers before any socket is opened
const openai = new OpenAI({ apiKey: 'sk-mock-test-000000001', maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: 'sk-ant-mock-00000001', maxRetries: 0 });
const gemini = new GoogleGenAI({ apiKey: 'AIza-mock-0000000001', httpOptions: { retryOptions: { attempts: 1 } } });

describe('withMockLLM answers the real SDKs in their own wire formats', () => {
  test('openai chat: plain, streamed with the stream helper, tool calls; calls are logged', async () => {
    const result = await withMockLLM(
      ['Hello there', { content: 'Streamed reply here' }, { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }],
      async (mock) => {
        const plain = await openai.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'Hi' }] });
        const final = await openai.chat.completions.stream({ model: 'gpt-x', messages: [{ role: 'user', content: 'Stream' }] }).finalChatCompletion();
        const tools = await openai.chat.completions.create({
          model: 'gpt-x',
          messages: [{ role: 'user', content: 'Weather?' }],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        });
        return { plain, final, tools, calls: mock.calls };
      },
    );
    expect(result.plain.choices[0]!.message.content).toBe('Hello there');
    expect(result.final.choices[0]!.message.content).toBe('Streamed reply here');
    const call = result.tools.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' });
    expect(result.tools.choices[0]!.finish_reason).toBe('tool_calls');
    expect(result.calls.map((c) => [c.provider, c.endpoint])).toEqual([
      ['openai', 'chat'],
      ['openai', 'chat'],
      ['openai', 'chat'],
    ]);
    expect((result.calls[0]!.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  test('anthropic messages.stream().finalMessage() and gemini generateContentStream()', async () => {
    await withMockLLM(['Bonjour from the mock'], async () => {
      const message = await anthropic.messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
      expect(message.content[0]).toMatchObject({ type: 'text', text: 'Bonjour from the mock' });
      let text = '';
      for await (const chunk of await gemini.models.generateContentStream({ model: 'gemini-x', contents: 'Hi' })) text += chunk.text ?? '';
      expect(text).toBe('Bonjour from the mock');
    });
  });

  test("errors come in the provider's own shape and status", async () => {
    const error = await withMockLLM([{ error: { status: 429, message: 'Slow down', retryAfterMs: 2000 } }], () =>
      openai.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'Hi' }] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('2');
  });

  test('a withCassette inside withMockLLM records what the mock answers, and the cassette replays without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmc-mock-'));
    const ask = () => openai.chat.completions.stream({ model: 'gpt-x', messages: [{ role: 'user', content: 'Record me' }] }).finalChatCompletion();
    const live = await withMockLLM(['Recorded through the mock'], () => withCassette('from-mock', ask, { dir, mode: 'once' }));
    expect(live.choices[0]!.message.content).toBe('Recorded through the mock');
    const text = readFileSync(join(dir, 'from-mock.yaml'), 'utf8');
    expect(text).toContain('url: https://api.openai.com/v1/chat/completions');
    expect(text).not.toContain('sk-mock-test-000000001');
    const replayed = await withCassette('from-mock', ask, { dir, mode: 'none' });
    expect(replayed).toEqual(live);
  });
});
