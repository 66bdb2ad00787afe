const { appendFileSync } = require('node:fs');
const { default: OpenAI } = require('openai');
const { withCassette } = require('cassettes');

const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env.E2E_BASE_URL, maxRetries: 0 });
appendFileSync('runs.jsonl', `${JSON.stringify({ file: 'other', pid: process.pid, flag: process.env.LLM_CASSETTE_RECORD_FLAG ?? null })}\n`);

const ask = (content) => client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content }] });

test('answers from another file', async () => {
  const completion = await withCassette(() => ask('other'));
  expect(completion.choices[0].message.content).toBe('echo: other');
});

jest.retryTimes(1);
let attempts = 0;
// the retry must replay the first attempt's cassette, not record a `#2`
test('is retried', async () => {
  attempts++;
  const completion = await withCassette(() => ask('retry'));
  expect(completion.choices[0].message.content).toBe('echo: retry');
  if (attempts === 1) throw new Error('fails once, on purpose');
});
