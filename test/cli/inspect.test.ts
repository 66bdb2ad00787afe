import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette, encodeCassette } from '../../src/cassette/codec.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import type { Interaction } from '../../src/types.js';
import { runCli } from './support/cli.js';
import { calls, record } from './support/record.js';
import { startWireServer, type WireServer } from './support/wire-server.js';

let server: WireServer;
let dir: string;
let recorded: string;

beforeAll(async () => {
  server = await startWireServer((body) => {
    const text = JSON.stringify(body);
    if (text.includes('weather')) return { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 21, outputTokens: 7 } };
    return { content: 'Hello from the wire server, in several chunks.', chunkDelayMs: 3, usage: { inputTokens: 12, outputTokens: 9 } };
  });
  dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-inspect-'));
  ({ file: recorded } = await record(dir, 'mixed', async () => {
    await calls.chat(server.url, 'hello', { stream: true, stream_options: { include_usage: true } });
    await calls.chat(server.url, 'hello without usage', { stream: true });
    await calls.messages(server.url, 'what is the weather in Paris?', true);
    await calls.responses(server.url, 'hello');
    await calls.gemini(server.url, 'hello', true);
  }));
});
afterAll(() => server.close());

function writeCassette(file: string, interactions: Interaction[]): void {
  writeFileSync(file, encodeCassette({ version: 1, recordedWith: 'cassettes test', interactions }));
}

describe('cassettes inspect', () => {
  test("the project's own Anthropic cassette: requests, a stream's timeline, its text, a streamed tool call, usage", async () => {
    const run = await runCli(['inspect', '__cassettes__/conformance/anthropic.yaml']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = run.stdout;
    expect(out.split('\n')[0]).toBe('__cassettes__/conformance/anthropic.yaml · 19 interactions · recorded with cassettes 0.0.0-dev');
    const block = (n: number): string => out.split(/\n\n/).find((b) => b.startsWith(`#${n} `))!;
    expect(block(2)).toContain('POST https://api.anthropic.com/v1/messages  200 OK');
    expect(block(2)).toMatch(/request\s+anthropic messages · claude-haiku-4-5 · 1 message · max tokens 64 · stream/);
    expect(block(2)).toMatch(
      /stream\s+headers 0\.4 ms · first chunk 0\.9 ms · 11 chunks \(11 events\) · gaps 0\/0\/0\.1 ms \(min\/median\/max\) · completed at 1\.2 ms/,
    );
    expect(block(2)).toMatch(/text\s+Hello! Nice to meet you\./);
    expect(block(2)).toMatch(/usage\s+40 in · 6 out · 46 total/);
    expect(block(16)).toMatch(/tool call\s+get_weather \{"city":"Paris"\}/);
    expect(block(16)).toMatch(/finish\s+tool_calls/);
  });

  test('a cassette recorded from a local server: every provider API read, timelines match the stored chunk times', async () => {
    const run = await runCli(['inspect', recorded, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { interactions: any[] };
    const stored = httpInteractions(decodeCassette(readFileSync(recorded, 'utf8'), recorded));
    const [chat, noUsage, messages, responses, gemini] = doc.interactions;
    expect(chat.request).toEqual({ api: 'openai chat', model: 'gpt-4o-mini', messages: 1, temperature: 0.2, stream: true });
    expect(chat.answer.text).toBe('Hello from the wire server, in several chunks.');
    expect(chat.answer.usage).toMatchObject({ inputTokens: 12, outputTokens: 9, totalTokens: 21 });
    expect(noUsage.answer.text).toBe(chat.answer.text);
    expect(noUsage.answer.usage).toBeUndefined();
    const chunks = stored[0]!.response!.chunks!;
    expect(chat.stream.chunks).toBe(chunks.length);
    expect(chat.stream.firstChunkMs).toBe(chunks[0]!.atMs);
    expect(chat.stream.end.state).toBe('completed');
    // the server waits 3 ms between chunks: the recorded gaps say so
    expect(chat.stream.gapsMs.max).toBeGreaterThanOrEqual(2);
    expect(messages.answer.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(messages.answer.finishReason).toBe('tool_calls');
    expect(responses.request).toMatchObject({ api: 'openai responses', messages: 1, stream: false });
    expect(responses.answer.text).toBe('Hello from the wire server, in several chunks.');
    expect(responses.bodyBytes).toBeGreaterThan(100);
    expect(gemini.request).toMatchObject({ api: 'gemini streamGenerateContent', model: 'gemini-2.5-flash', temperature: 0, stream: true });
    expect(gemini.answer).toMatchObject({ text: 'Hello from the wire server, in several chunks.', finishReason: 'stop' });
  });

  test('a cut stream, an error status and a network failure are shown as such', async () => {
    const file = join(dir, 'failures.yaml');
    const request = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: {}, body: { json: { model: 'gpt-4o-mini', stream: true } } };
    writeCassette(file, [
      {
        recordedAt: '2026-01-01T00:00:00.000Z',
        request,
        response: {
          status: 200,
          statusText: 'OK',
          headers: { 'content-type': 'text/event-stream' },
          headersAtMs: 5,
          chunks: [{ atMs: 6, text: 'data: {"choices":[{"index":0,"delta":{"content":"Hal"}}]}\n\n' }],
          end: { state: 'failed', atMs: 9, error: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' } },
        },
      },
      {
        recordedAt: '2026-01-01T00:00:01.000Z',
        request,
        response: { status: 429, statusText: 'Too Many Requests', headers: {}, headersAtMs: 2, body: { json: { error: { message: 'Slow down.' } } } },
      },
      { recordedAt: '2026-01-01T00:00:02.000Z', request, error: { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', atMs: 1 } },
    ]);
    const run = await runCli(['inspect', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/stream\s+headers 5 ms · first chunk 6 ms · 1 chunk \(1 event\) · failed at 9 ms: SocketError UND_ERR_SOCKET other side closed/);
    expect(run.stdout).toMatch(/text\s+Hal\n/);
    expect(run.stdout).toMatch(/note\s+cassettes: openai returned a malformed response: the chat stream ended without a finish_reason/);
    expect(run.stdout).toMatch(/#1 {2}POST \S+ {2}429 Too Many Requests\n[\s\S]*error\s+Slow down\./);
    expect(run.stdout).toMatch(/#2 {2}POST \S+ {2}no response\n[\s\S]*failed\s+Error \(ECONNREFUSED\) connect ECONNREFUSED/);
  });

  test('output is scrubbed: a key left in a cassette is not printed, as text or JSON', async () => {
    const file = join(dir, 'leaky.yaml');
    const key = 'sk-proj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ';
    const envKey = 'local-gateway-token-77';
    writeCassette(file, [
      {
        recordedAt: '2026-01-01T00:00:00.000Z',
        request: { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: {}, body: { json: { model: 'gpt-4o-mini', messages: [] } } },
        response: {
          status: 200,
          statusText: 'OK',
          headers: {},
          headersAtMs: 1,
          body: {
            json: {
              choices: [{ index: 0, message: { role: 'assistant', content: `your key is ${key}, the gateway's ${envKey}` }, finish_reason: 'stop' }],
            },
          },
        },
      },
    ]);
    for (const args of [
      ['inspect', file],
      ['inspect', file, '--json'],
    ]) {
      const run = await runCli(args, { env: { OPENAI_API_KEY: envKey } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('your key is [REDACTED]');
      expect(run.stdout).not.toContain(key.slice(8));
      expect(run.stdout).not.toContain(envKey);
    }
  });

  test('--interaction shows only the interactions asked for; one the file does not have is a usage error', async () => {
    const run = await runCli(['inspect', '__cassettes__/conformance/gemini.yaml', '--interaction', '16', '--interaction', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/^#\d+ /gm)).toEqual(['#2 ', '#16 ']);
    const missing = await runCli(['inspect', '__cassettes__/conformance/gemini.yaml', '--interaction', '19']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no interaction #19 (it has 19: #0 to #18)');
  });

  test('no colours in a pipe, even with a colour-capable TERM', async () => {
    const run = await runCli(['inspect', recorded], { env: { TERM: 'xterm-256color' } });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b[');
  });

  test('bad input: a missing file and a folder are usage errors (exit 2, one line and the help pointer, no stack)', async () => {
    const missing = await runCli(['inspect', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`cassettes inspect: no such file: ${join(dir, 'nope.yaml')}\n  see: cassettes inspect --help\n`);
    mkdirSync(join(dir, 'folder'), { recursive: true });
    const folder = await runCli(['inspect', join(dir, 'folder')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder; name a cassette file in it');
    const none = await runCli(['inspect']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the cassette file to inspect');
    for (const run of [missing, folder, none]) {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('bad input: corrupt YAML exits 1 with the file, the line and the fix, no stack', async () => {
    const file = join(dir, 'corrupt.yaml');
    writeFileSync(file, 'version: 1\ninteractions:\n  - request: {method: GET\n');
    const run = await runCli(['inspect', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^cassettes: cannot read cassette .*corrupt\.yaml \(line \d\)/);
    expect(run.stderr).toContain('fix:');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('--help explains the verb and exits 0', async () => {
    const run = await runCli(['inspect', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: cassettes inspect <file> \[--interaction <n>\]\.\.\. \[--json\]/);
  });
});
