import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { withCassette } from '../src/index.js';
import { startFixtureServer } from './support/fixture-server.js';
import { loadExchange, realFixturesFor } from './support/fixtures.js';

describe.skipIf(!realFixturesFor('smoke (a real OpenAI stream recorded and replayed)'))('smoke', () => {
  test('openai stream record then replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmc-'));
    const server = await startFixtureServer();
    const ex = loadExchange('openai/chat-stream-tools-ratelimit#1');
    server.enqueue(ex);
    const client = new OpenAI({ apiKey: 'sk-test-1234567890', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const run = async () => {
      const stream = await client.chat.completions.create(ex.request.bodyJson as any);
      let text = '';
      for await (const chunk of stream as any) text += chunk.choices?.[0]?.delta?.content ?? '';
      return text;
    };
    const live = await withCassette('smoke/one', run, { dir, mode: 'once' });
    await server.close();
    console.log(readFileSync(join(dir, 'smoke/one.yaml'), 'utf8').slice(2000, 3500));
    const replayed = await withCassette('smoke/one', run, { dir, mode: 'none' });
    expect(replayed).toBe(live);
    expect(live.length).toBeGreaterThan(0);
  });
});
