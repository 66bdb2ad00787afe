const { appendFileSync } = require('node:fs');
const { request } = require('node:http');
const { runInThisContext } = require('node:vm');
const { withCassette } = require('cassettes');

appendFileSync('runs.jsonl', `${JSON.stringify({ file: 'third', pid: process.pid, flag: process.env.LLM_CASSETTE_RECORD_FLAG ?? null })}\n`);

/** The same endpoint through node:http, as axios or an older SDK would call it. */
function postWithHttp(content) {
  const url = new URL(`${process.env.E2E_BASE_URL}/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text).choices[0].message.content));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'gpt-e2e', messages: [{ role: 'user', content }] }));
  });
}

test('posts with node-http', async () => {
  expect(await withCassette(() => postWithHttp('over http'))).toBe('echo: over http');
});

test('uses fetch directly', async () => {
  const answer = await withCassette(async () => {
    const res = await fetch(`${process.env.E2E_BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'plain fetch' }] }),
    });
    return (await res.json()).choices[0].message.content;
  });
  expect(answer).toBe('echo: plain fetch');
});

// The interceptor outlives test files: it must be main-realm code, not this file's registry's
// (or the first file's, whose vm context Jest has torn down by now).
test('the interceptor lives in the main realm', () => {
  const main = runInThisContext('globalThis');
  const dispatcher = main[Symbol.for('undici.globalDispatcher.1')];
  expect(dispatcher[Symbol.for('cassettes.dispatcher')]).toBe(true);
  expect(dispatcher.dispatch instanceof main.Function).toBe(true);
  expect(dispatcher.dispatch instanceof Function).toBe(false);
});
