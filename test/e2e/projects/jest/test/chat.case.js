const { appendFileSync } = require('node:fs');
const { default: OpenAI } = require('openai');
const { isCassetteError, NoMatchError, withCassette } = require('cassettes');

// Built when the module loads, before any cassette exists: interception must already be in place.
const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env.E2E_BASE_URL, maxRetries: 0 });
appendFileSync('runs.jsonl', `${JSON.stringify({ file: 'chat', pid: process.pid, flag: process.env.LLM_CASSETTE_RECORD_FLAG ?? null })}\n`);

async function ask(content) {
  const completion = await client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content }] });
  return completion.choices[0].message.content;
}

async function askStreaming(content) {
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
      const said = [];
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

  // the error crosses from the interceptor (installed by another test file's registry) to this one
  test('refuses an unrecorded request', async () => {
    expect(await withCassette('errors/known', () => ask('known'))).toBe('echo: known');
    const refused = withCassette('errors/known', () => ask('unknown'), { mode: 'none' });
    await expect(refused).rejects.toThrow(NoMatchError);
    const error = await refused.catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
  });

  test.concurrent('nameless concurrent a', async () => {
    expect(await withCassette(() => ask('concurrent a'))).toBe('echo: concurrent a');
  });

  test.concurrent('nameless concurrent b', async () => {
    expect(await withCassette(() => ask('concurrent b'))).toBe('echo: concurrent b');
  });
});
