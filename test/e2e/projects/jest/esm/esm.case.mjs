import { withCassette } from 'cassettes';
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env.E2E_BASE_URL, maxRetries: 0 });

test('esm says hello', async () => {
  const completion = await withCassette(() => client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'esm hello' }] }));
  expect(completion.choices[0].message.content).toBe('echo: esm hello');
});

test('esm streams', async () => {
  const text = await withCassette(async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'esm stream' }], stream: true });
    let out = '';
    for await (const chunk of stream) out += chunk.choices[0]?.delta.content ?? '';
    return out;
  });
  expect(text).toBe('echo: esm stream');
});
