const Anthropic = require('@anthropic-ai/sdk');
const { GoogleGenAI } = require('@google/genai');
const { withCassette } = require('cassettes');
const OpenAI = require('openai');

// the README's quick start: clients built with no options (keys and base URLs from the environment)
const openai = new OpenAI();
const anthropic = new Anthropic();
const gemini = new GoogleGenAI({});

test('writes a haiku with OpenAI', async () => {
  const reply = await withCassette('haiku/openai', () =>
    openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'A haiku about tests' }] }),
  );
  expect(reply.choices[0]?.message.content).toBe('An old silent pond');
});

test('writes a haiku with Anthropic, streamed', async () => {
  const text = await withCassette('haiku/anthropic', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'A haiku about tests' }] });
    return (await stream.finalMessage()).content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  });
  expect(text).toBe('An old silent pond');
});

test('writes a haiku with Gemini', async () => {
  const reply = await withCassette('haiku/gemini', () => gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'A haiku about tests' }));
  expect(reply.text).toBe('An old silent pond');
});

test('shares a cassette: first test', async () => {
  const reply = await withCassette('shared/two-tests', () =>
    openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'first test' }] }),
  );
  expect(reply.choices[0]?.message.content).toBe('An old silent pond');
});

test('shares a cassette: second test', async () => {
  const reply = await withCassette('shared/two-tests', () =>
    openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'second test' }] }),
  );
  expect(reply.choices[0]?.message.content).toBe('An old silent pond');
});
