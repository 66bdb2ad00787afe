import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOf, httpInteractions, readCassette, withCassette } from '../../src/index.js';
import { startWireServer, type WireServer } from '../protocol/support/wire-server.js';

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer((request) =>
    JSON.stringify(request.body).includes('weather')
      ? { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }
      : { content: 'An old silent pond, a frog jumps in.', chunkDelayMs: 1 },
  );
});
afterAll(() => server.close());

const client = (): OpenAI => new OpenAI({ apiKey: 'sk-summary-0123456789', baseURL: `${server.origin}/v1`, maxRetries: 0 });
const stream = async (content: string): Promise<string> => {
  const chunks = await client().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content }] });
  let text = '';
  for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
  return text;
};

describe('what a stream said, at a glance', () => {
  test('a recorded stream carries its assembled text (and tool calls) beside its chunks, before them in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-summary-'));
    await withCassette('haiku', async () => [await stream('a haiku'), await stream('the weather in Paris')], { dir, mode: 'once' });
    const text = readFileSync(join(dir, 'haiku.yaml'), 'utf8');
    expect(text.indexOf('summary:')).toBeLessThan(text.indexOf('chunks:'));
    const [haiku, weather] = httpInteractions(readCassette(join(dir, 'haiku.yaml')));
    expect(haiku?.response?.summary).toEqual({ text: 'An old silent pond, a frog jumps in.' });
    expect(weather?.response?.summary?.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  });

  test('replay ignores the summary: edited by hand, the stream still replays its chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-summary-'));
    await withCassette('edited', () => stream('a haiku'), { dir, mode: 'once' });
    const file = join(dir, 'edited.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('text: An old silent pond, a frog jumps in.', 'text: something else'));
    expect(await withCassette('edited', () => stream('a haiku'), { dir, mode: 'none' })).toBe('An old silent pond, a frog jumps in.');
  });

  test('answerOf rebuilds text, tool calls and usage from a recorded stream, for assertions on what the model said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-summary-'));
    await withCassette('answer', () => stream('the weather in Paris'), { dir, mode: 'once' });
    const [interaction] = httpInteractions(readCassette(join(dir, 'answer.yaml')));
    const answer = await answerOf(interaction!);
    expect(answer?.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(answer?.finishReason).toBe('tool_calls');
  });
});
