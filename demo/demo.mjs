// npm run demo: record real SDK calls against a built-in local server, stop the server, replay.

import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { isCassetteError, withCassette } from 'cassettes';
import { buildWireResponse, detectEndpoint } from 'cassettes/mock';
import OpenAI from 'openai';

const REPLIES = {
  openai: 'Autumn moonlight — a worm digs silently into the chestnut.',
  anthropic: 'An old silent pond; a frog jumps in, splash! Silence again.',
  gemini: 'Over the wintry forest, winds howl in rage with no leaves to blow.',
};

// A stand-in for the providers: answers in each one's own wire format, streams with real gaps.
const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', async () => {
    const target = detectEndpoint(req.method, `http://local${req.url}`);
    const body = JSON.parse(Buffer.concat(parts).toString() || '{}');
    const wire = buildWireResponse(target, body, { content: REPLIES[target.provider], chunkDelayMs: 15 });
    res.writeHead(wire.status, wire.headers);
    for (const chunk of wire.chunks) {
      await new Promise((r) => setTimeout(r, chunk.delayMs));
      res.write(chunk.data);
    }
    res.end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const openai = new OpenAI({ apiKey: 'sk-demo-key-not-real-0001', baseURL: `${base}/v1`, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: 'sk-ant-demo-not-real-01', baseURL: base, maxRetries: 0 });
const gemini = new GoogleGenAI({ apiKey: 'AIza-demo-not-real-0001', httpOptions: { baseUrl: base, retryOptions: { attempts: 1 } } });

async function app() {
  const a = await openai.chat.completions
    .stream({ model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'user', content: 'A haiku about autumn' }] })
    .finalChatCompletion();
  const b = await anthropic.messages
    .stream({ model: 'claude-demo-model', max_tokens: 200, messages: [{ role: 'user', content: 'A haiku about a pond' }] })
    .finalMessage();
  let c = '';
  for await (const chunk of await gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'A haiku about winter' })) c += chunk.text ?? '';
  return { openai: a.choices[0].message.content, anthropic: b.content[0].text, gemini: c };
}

const dir = mkdtempSync(join(tmpdir(), 'cassettes-demo-'));
const say = (line = '') => process.stdout.write(`${line}\n`);
const report = (r) => say(`  → ${r.file}: ${r.recorded} recorded, ${r.replayed} replayed, ${r.refused} refused (mode ${r.mode})`);

say('1) Record: three SDK calls (streamed) go to the local server and are written to a cassette');
let t = performance.now();
const live = await withCassette('demo/haikus', app, { dir, mode: 'all', onReport: report });
say(`  took ${(performance.now() - t).toFixed(0)} ms`);
for (const [provider, text] of Object.entries(live)) say(`  ${provider.padEnd(9)} ${text}`);

await new Promise((r) => server.close(r));
server.closeAllConnections?.();
say('\n2) The server is gone. Replay (mode none), instant timing:');
t = performance.now();
const replayed = await withCassette('demo/haikus', app, { dir, mode: 'none', onReport: report });
say(`  took ${(performance.now() - t).toFixed(0)} ms; identical to live: ${JSON.stringify(replayed) === JSON.stringify(live)}`);

say('\n3) Replay with the recorded timing:');
t = performance.now();
await withCassette('demo/haikus', app, { dir, mode: 'none', timing: 'recorded' });
say(`  took ${(performance.now() - t).toFixed(0)} ms (the recorded streams' own pace)`);

say('\n4) A changed request is refused, loudly:');
try {
  await withCassette(
    'demo/haikus',
    () => openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.7, messages: [{ role: 'user', content: 'A haiku about autumn' }] }),
    { dir, mode: 'none' },
  );
} catch (error) {
  if (!isCassetteError(error)) throw error;
  say(
    error.message
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
}

const file = join(dir, 'demo/haikus.yaml');
const text = readFileSync(file, 'utf8');
say(`\n5) The cassette (${file}, ${text.length} bytes) — first lines; no key in it: ${!/sk-demo|sk-ant-demo|AIza-demo/.test(text)}`);
say(
  text
    .split('\n')
    .slice(0, 24)
    .map((l) => `  ${l}`)
    .join('\n'),
);
