import { appendFileSync } from 'node:fs';
import { isCassetteError, NoMatchError, withCassette } from 'cassettes';
import { cassetteTest } from 'cassettes/vitest';
import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';

// Built when the module loads, before any cassette exists: interception must already be in place.
const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env['E2E_BASE_URL'], maxRetries: 0 });
appendFileSync('runs.jsonl', `${JSON.stringify({ file: 'chat', pid: process.pid, flag: process.env['LLM_CASSETTE_RECORD_FLAG'] ?? null })}\n`);

async function ask(content: string): Promise<string> {
  const completion = await client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content }] });
  return completion.choices[0]?.message.content ?? '';
}

async function askStreaming(content: string): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('chat', () => {
  test('says hello', async () => {
    expect(await withCassette(() => ask('hello'))).toBe('echo: hello');
  });

  test('streams a reply', async () => {
    expect(await withCassette(() => askStreaming('stream me please'))).toBe('echo: stream me please');
  });

  test('keeps a conversation', async () => {
    const turns = await withCassette(async () => {
      const said: string[] = [];
      said.push(await ask('first'));
      said.push(await ask('second'));
      // e2e: step 3 adds a call here
      return said;
    });
    expect(turns.slice(0, 2)).toEqual(['echo: first', 'echo: second']);
  });

  test('uses two cassettes', async () => {
    expect(await withCassette(() => ask('one'))).toBe('echo: one');
    expect(await withCassette(() => ask('two'))).toBe('echo: two');
  });

  test('same title', async () => {
    expect(await withCassette(() => ask('duplicate 1'))).toBe('echo: duplicate 1');
  });

  test('same title', async () => {
    expect(await withCassette(() => ask('duplicate 2'))).toBe('echo: duplicate 2');
  });

  test('odd: title/with?chars', async () => {
    expect(await withCassette(() => ask('odd'))).toBe('echo: odd');
  });

  test('explicit name', async () => {
    expect(await withCassette('greetings/explicit', () => ask('greet'))).toBe('echo: greet');
  });

  test('refuses an unrecorded request', async () => {
    expect(await withCassette('errors/known', () => ask('known'))).toBe('echo: known');
    const error: unknown = await withCassette('errors/known', () => ask('unknown'), { mode: 'none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoMatchError);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
  });

  test.concurrent('nameless concurrent a', async () => {
    expect(await withCassette(() => ask('concurrent a'))).toBe('echo: concurrent a');
  });

  test.concurrent('nameless concurrent b', async () => {
    expect(await withCassette(() => ask('concurrent b'))).toBe('echo: concurrent b');
  });
});

describe('fixture', () => {
  cassetteTest('names the cassette', async ({ cassette }) => {
    expect(await cassette(() => ask('fixture'))).toBe('echo: fixture');
  });

  cassetteTest.concurrent('concurrent c', async ({ cassette }) => {
    expect(await cassette(() => ask('concurrent c'))).toBe('echo: concurrent c');
  });

  cassetteTest.concurrent('concurrent d', async ({ cassette }) => {
    expect(await cassette(() => ask('concurrent d'))).toBe('echo: concurrent d');
  });
});
