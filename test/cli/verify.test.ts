import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette, encodeCassette } from '../../src/cassette/codec.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import { runCli } from './support/cli.js';
import { calls, record } from './support/record.js';
import { startWireServer, type WireServer } from './support/wire-server.js';

// Made-up credentials in the providers' shapes.
const OPENAI_KEY = 'sk-proj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ';
const GATEWAY_TOKEN = 'gw-token-5d41402abc4b2a76';

let server: WireServer;
let clean: string;

beforeAll(async () => {
  server = await startWireServer();
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-verify-'));
  ({ file: clean } = await record(dir, 'clean', async () => {
    await calls.chat(server.url, 'one', { stream: true });
    await calls.messages(server.url, 'two');
    await calls.gemini(server.url, 'three', true);
  }));
});
afterAll(() => server.close());

/** A fresh folder holding a copy of the recorded cassette, changed by `edit`. */
function variant(edit: (text: string) => string, name = 'c.yaml'): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-verify-'));
  const file = join(dir, name);
  const text = edit(readFileSync(clean, 'utf8'));
  writeFileSync(file, text);
  return { dir, file, text };
}

function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

describe('cassettes verify', () => {
  test("the project's own cassettes pass (default folder __cassettes__, and named)", async () => {
    const byDefault = await runCli(['verify']);
    expect(byDefault).toMatchObject({ code: 0, stdout: '' });
    expect(byDefault.stderr).toMatch(/^cassettes verify: \d+ files, 0 findings\n$/);
    const named = await runCli(['verify', '__cassettes__/conformance/openai-chat.yaml', '__cassettes__/conformance']);
    expect(named.code).toBe(0);
  });

  test('a cassette recorded through the library passes', async () => {
    const run = await runCli(['verify', clean]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toBe('cassettes verify: 1 file, 0 findings\n');
  });

  test('a key pasted into a header: file:line: what, and the key itself is never printed', async () => {
    const { file, text } = variant((t) => t.replace('authorization: "[REDACTED]"', `authorization: Bearer ${OPENAI_KEY}`));
    const run = await runCli(['verify', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${file}:${lineOf(text, OPENAI_KEY)}: secret: an OpenAI API key (sk-…)\n`);
    expect(run.stdout + run.stderr).not.toContain(OPENAI_KEY.slice(3, 20));
    expect(run.stderr).toBe('cassettes verify: 1 file, 1 finding\n');
  });

  test('the value of a key variable is found only when that variable is set, and named after it', async () => {
    const { file, text } = variant((t) => t.replace('echo: two', `echo: ${GATEWAY_TOKEN}`));
    expect(text).toContain(GATEWAY_TOKEN);
    const without = await runCli(['verify', file]);
    expect(without.code).toBe(0);
    const run = await runCli(['verify', file], { env: { ANTHROPIC_API_KEY: GATEWAY_TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${file}:${lineOf(text, GATEWAY_TOKEN)}: secret: the value of $ANTHROPIC_API_KEY\n`);
  });

  test('a key inside base64 data is found at the line of that data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-verify-'));
    const file = join(dir, 'binary.yaml');
    const data = decodeCassette(readFileSync(clean, 'utf8'), clean);
    const hidden = Buffer.from(`\x00\x01 token=${OPENAI_KEY}`).toString('base64');
    httpInteractions(data)[1]!.response!.body = { base64: hidden };
    const text = encodeCassette(data);
    writeFileSync(file, text);
    const run = await runCli(['verify', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${file}:${lineOf(text, hidden)}: secret: an OpenAI API key (sk-…) (in base64 data)\n`);
  });

  test('--allow accepts a made-up key a test relies on', async () => {
    const { file } = variant((t) => t.replace('authorization: "[REDACTED]"', `authorization: Bearer ${OPENAI_KEY}`));
    const run = await runCli(['verify', file, '--allow', OPENAI_KEY]);
    expect(run.code).toBe(0);
  });

  test('not in canonical form: the first changed line; --fix rewrites it, after which it passes', async () => {
    const { file, text } = variant((t) => t.replace('    request:\n', '    request:   \n'));
    const run = await runCli(['verify', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${file}:${lineOf(text, 'request:   ')}: not in canonical form from this line on (re-encoding changes it); \`cassettes verify --fix\` rewrites it\n`,
    );
    const fixed = await runCli(['verify', file, '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toBe('cassettes verify: 1 file, 0 findings, 1 rewritten in canonical form\n');
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(clean, 'utf8'));
    expect((await runCli(['verify', file])).code).toBe(0);
  });

  test('--fix never rewrites a secret away, nor a file that does not load', async () => {
    const { file, text } = variant((t) => t.replace('authorization: "[REDACTED]"', `authorization:   Bearer ${OPENAI_KEY}`));
    const run = await runCli(['verify', file, '--fix']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('secret: an OpenAI API key');
    expect(readFileSync(file, 'utf8')).toContain(OPENAI_KEY);
    expect(readFileSync(file, 'utf8')).not.toBe(text);
  });

  test('--max-age: an interaction recorded longer ago is a finding at its recordedAt line; younger ones are not', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const { file, text } = variant((t) => {
      const second = t.indexOf('recordedAt:', t.indexOf('recordedAt:') + 1);
      return t.slice(0, second) + t.slice(second).replace(/recordedAt: \S+/, `recordedAt: "${old}"`);
    });
    const run = await runCli(['verify', file, '--max-age', '30d']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${file}:${lineOf(text, old)}: interaction #1 (POST ${server.url}/v1/messages) was recorded ${old}, 40 days ago (over --max-age 30d); re-record it\n`,
    );
    expect((await runCli(['verify', file, '--max-age', '60d'])).code).toBe(0);
    expect((await runCli(['verify', file])).code).toBe(0);
  });

  test('bad input in a folder: corrupt YAML and an invalid cassette are findings with their file (and line); the rest is still checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-verify-'));
    mkdirSync(join(dir, 'nested'));
    cpSync(clean, join(dir, 'nested', 'good.yaml'));
    writeFileSync(join(dir, 'corrupt.yaml'), 'version: 1\ninteractions:\n  - request: {method: GET\n');
    writeFileSync(join(dir, 'invalid.yml'), 'version: 1\ninteractions:\n  - recordedAt: x\n    request: {method: 3, url: u}\n    response: {status: 200}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a cassette');
    const run = await runCli(['verify', dir]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${join(dir, 'corrupt.yaml')}:4: cannot read cassette: .+`));
    expect(lines[1]).toMatch(new RegExp(`^${join(dir, 'invalid.yml')}(:\\d+)?: .*not a valid cassette.*`));
    expect(run.stderr).toBe('cassettes verify: 3 files, 2 findings\n');
  });

  test('bad input: a path that does not exist, or a bad --max-age, is a usage error (exit 2)', async () => {
    const missing = await runCli(['verify', '/nonexistent/cassettes']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('cassettes verify: no such file or folder: /nonexistent/cassettes\n  see: cassettes verify --help\n');
    const age = await runCli(['verify', clean, '--max-age', 'soon']);
    expect(age.code).toBe(2);
    expect(age.stderr).toContain('--max-age "soon" is not a duration');
    const none = await runCli(['verify'], { cwd: tmpdir() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no __cassettes__ folder here');
  });
});
