// withCassette with a name, outside any test runner; `--record=<mode>` comes from process.argv.

import { withCassette } from 'cassettes';
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env.E2E_BASE_URL, maxRetries: 0 });
const completion = await withCassette('plain/script', () =>
  client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'from a script' }] }),
);
console.log(`plain: ${completion.choices[0].message.content}`);
