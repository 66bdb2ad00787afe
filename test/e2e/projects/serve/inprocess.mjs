// The same call in-process: withCassette around the OpenAI SDK. argv: name mode baseURL prompt
import { withCassette } from 'cassettes';
import OpenAI from 'openai';

const [name, mode, baseURL, prompt] = process.argv.slice(2);
const client = new OpenAI({ apiKey: 'placeholder', baseURL, maxRetries: 0 });
const text = await withCassette(
  name,
  async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-e2e', stream: true, messages: [{ role: 'user', content: prompt }] });
    let out = '';
    for await (const part of stream) out += part.choices[0]?.delta?.content ?? '';
    return out;
  },
  { mode, dir: '__cassettes__' },
);
process.stdout.write(`${JSON.stringify({ text })}\n`);
