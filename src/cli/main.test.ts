import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from './main.js';
import type { CliIo } from './verbs.js';

/**
 * The command run in this process, with streams that may claim to be a terminal: what the bin
 * runs, minus the process (the bin itself is run in subprocesses by test/cli).
 */
async function run(args: string[], tty = false): Promise<{ code: number; out: string; err: string }> {
  const sink = () => {
    const parts: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        parts.push(String(chunk));
        done();
      },
    }) as CliIo['out'];
    stream.isTTY = tty;
    return { stream, text: () => parts.join('') };
  };
  const [out, err] = [sink(), sink()];
  const code = await main(args, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

const SOURCE = '__cassettes__/conformance';
const saved = { NO_COLOR: process.env['NO_COLOR'], TERM: process.env['TERM'] };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-main-'));
  cpSync(SOURCE, join(dir, '__cassettes__'), { recursive: true });
  return dir;
}

describe('main, in this process', () => {
  test('no verb, help, an unknown verb', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['help'])).code).toBe(0);
    const unknown = await run(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^cassettes: unknown verb "nope"\nusage: cassettes <verb>/);
  });

  test('on a terminal: colours and progress; NO_COLOR and TERM=dumb: none', async () => {
    delete process.env['NO_COLOR'];
    process.env['TERM'] = 'xterm';
    const coloured = await run(['inspect', `${SOURCE}/openai-chat-fault-timeout.yaml`], true);
    expect(coloured.out).toContain('\x1b[31m408 Request Timeout\x1b[39m');
    process.env['TERM'] = 'dumb';
    expect((await run(['inspect', `${SOURCE}/openai-chat-fault-timeout.yaml`], true)).out).not.toContain('\x1b[');
    process.env['TERM'] = 'xterm';
    process.env['NO_COLOR'] = '1';
    expect((await run(['inspect', `${SOURCE}/openai-chat-fault-timeout.yaml`], true)).out).not.toContain('\x1b[');
    const many = await run(['verify', SOURCE], true);
    expect(many.err.startsWith('\r\x1b[2Kcassettes verify: ')).toBe(true);
    expect(many.err).toContain('\r\x1b[2Kcassettes verify: 28/28 files');
    expect(many.err.endsWith('\r\x1b[2Kcassettes verify: 28 files, 0 findings\n')).toBe(true);
    const piped = await run(['verify', SOURCE]);
    expect(piped.err).toBe('cassettes verify: 28 files, 0 findings\n');
  });

  test('inspect as JSON', async () => {
    const json = await run(['inspect', `${SOURCE}/gemini.yaml`, '--json', '--interaction', '16']);
    expect(JSON.parse(json.out).interactions[0].answer.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  });

  test('verify: a secret, a hand edit fixed, an old interaction', async () => {
    const dir = project();
    const file = join(dir, '__cassettes__', 'anthropic.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('authorization: "[REDACTED]"', 'authorization:  Bearer sk-ant-api03-Qw8eRt5yUi2oPa7sDf4gHj1kLz9xCv3bNm6'),
    );
    const found = await run(['verify', file, '--fix', '--max-age', '1000d']);
    expect(found.code).toBe(1);
    expect(found.out).toBe(`${file}:13: secret: an Anthropic API key (sk-ant-…)\n`);
    expect(found.err).toBe('cassettes verify: 1 file, 1 finding, 1 rewritten in canonical form\n');
    const old = await run(['verify', file, '--max-age', '1m', '--allow', 'sk-ant-api03-Qw8e']);
    expect(old.out.trim().split('\n')).toHaveLength(19);
  });

  test('prune from a report: dry run, then for real', async () => {
    const dir = project();
    const files = join(dir, '__cassettes__');
    const report = join(dir, 'report.json');
    const use = (name: string, unused: number[]) => ({
      file: join(files, name),
      names: [name],
      modes: ['none'],
      sessions: 1,
      replayed: 1,
      recorded: 0,
      refused: 0,
      passedThrough: 0,
      unused,
      written: false,
    });
    const later = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(
      report,
      JSON.stringify({
        version: 1,
        runner: 'script',
        startedAt: later,
        finishedAt: later,
        filtered: false,
        cassetteDirs: [files],
        cassettes: [use('gemini.yaml', [3, 4]), ...['openai-chat.yaml', 'openai-responses.yaml', 'anthropic.yaml'].map((name) => use(name, []))],
      }),
    );
    const dry = await run(['prune', '--report', report, '--dry-run']);
    expect(dry.out.split('\n').filter((line) => line.startsWith('would delete'))).toHaveLength(24);
    expect(existsSync(join(files, 'gemini-fault-timeout.yaml'))).toBe(true);
    const real = await run(['prune', '--report', report]);
    expect(real.err).toBe('cassettes prune: removed 2 interactions from 1 cassette and 24 files\n');
    expect(existsSync(join(files, 'gemini-fault-timeout.yaml'))).toBe(false);
    expect((await run(['verify', files])).code).toBe(0);
  });

  test('drift between folders, merge of folders', async () => {
    const [a, b] = [project(), project()];
    const file = join(b, '__cassettes__', 'openai-chat.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"system_fingerprint": "fp_', '"system_fingerprint_v2": "fp_'));
    const drift = await run(['drift', join(a, '__cassettes__'), join(b, '__cassettes__')]);
    expect(drift.code).toBe(1);
    expect(drift.out).toContain('    body - system_fingerprint (string)\n    body + system_fingerprint_v2 (string)\n');
    const out = join(mkdtempSync(join(tmpdir(), 'cassettes-main-')), 'merged');
    mkdirSync(out);
    const merged = await run(['merge', out, join(a, '__cassettes__'), join(b, '__cassettes__')]);
    expect(merged.code).toBe(1);
    expect(merged.err).toBe('cassettes merge: 28 cassettes written, 17 conflicts\n');
    expect(readFileSync(join(out, 'openai-chat.yaml'), 'utf8')).toBe(
      readFileSync(join(a, '__cassettes__', 'openai-chat.yaml'), 'utf8').replace(/^recordedWith: .*$/m, 'recordedWith: cassettes 0.0.0-dev'),
    );
  });
});
