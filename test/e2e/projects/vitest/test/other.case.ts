import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { withCassette } from 'cassettes';
import OpenAI from 'openai';
import { expect, test } from 'vitest';

const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env['E2E_BASE_URL'], maxRetries: 0 });
appendFileSync('runs.jsonl', `${JSON.stringify({ file: 'other', pid: process.pid, flag: process.env['LLM_CASSETTE_RECORD_FLAG'] ?? null })}\n`);

/** The same endpoint through node:http, as axios or an older SDK would call it. */
function postWithHttp(content: string): Promise<string> {
  const url = new URL(`${process.env['E2E_BASE_URL']}/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve((JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]!.message.content));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'gpt-e2e', messages: [{ role: 'user', content }] }));
  });
}

test('answers from another file', async () => {
  const completion = await withCassette(() => client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'other' }] }));
  expect(completion.choices[0]?.message.content).toBe('echo: other');
});

let attempts = 0;
// the retry must replay the first attempt's cassette, not record a `#2`
test('is retried', { retry: 1 }, async () => {
  attempts++;
  const completion = await withCassette(() => client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'retry' }] }));
  expect(completion.choices[0]?.message.content).toBe('echo: retry');
  if (attempts === 1) throw new Error('fails once, on purpose');
});

test('posts with node-http', async () => {
  expect(await withCassette(() => postWithHttp('over http'))).toBe('echo: over http');
});
