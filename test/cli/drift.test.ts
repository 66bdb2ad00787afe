import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { calls, record } from './support/record.js';
import { startWireServer, type WireServer } from './support/wire-server.js';

let server: WireServer;

beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.change(undefined);
  server.reply((body) => ({ content: `echo: ${JSON.stringify(body).length}` }));
});

/** The same requests every time: a chat completion, an Anthropic stream, a Responses stream. */
const session = async (): Promise<void> => {
  await calls.chat(server.url, 'hello');
  await calls.messages(server.url, 'stream me', true);
  await calls.responses(server.url, 'stream me too', true);
};

async function recordInto(dir: string, name = 'api'): Promise<string> {
  return (await record(dir, name, session, { mode: 'all' })).file;
}

const fresh = (): string => mkdtempSync(join(tmpdir(), 'cassettes-cli-drift-'));

describe('cassettes drift', () => {
  test('the same requests recorded again with other values (texts, ids, timings) are not drift', async () => {
    const before = await recordInto(fresh());
    server.reply(() => ({ content: 'a completely different and much longer answer this time', chunkDelayMs: 1 }));
    const after = await recordInto(fresh());
    const run = await runCli(['drift', before, after]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toBe('cassettes drift: no structural change in 1 cassette\n');
  });

  test('an API change: fields added, removed and retyped in bodies and per event type, event types new and vanished, a status', async () => {
    const before = await recordInto(fresh());
    server.change({
      json(data, event) {
        if (event === 'ping') return undefined;
        if (data['object'] === 'chat.completion') {
          const { system_fingerprint: _, ...rest } = data;
          return { ...rest, created: String(data['created']), prompt_filter_results: [] };
        }
        if (event === 'content_block_delta') return { ...data, citations: [] };
        if (event === 'response.output_text.delta') return { ...data, type: 'response.text.delta' };
        if (event === 'response.completed') return { ...data, usage_v2: { tokens: 1 } };
        return data;
      },
      status: (body) => (JSON.stringify(body).includes('stream me too') ? 202 : undefined),
    });
    const after = await recordInto(fresh());
    const run = await runCli(['drift', before, after]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        after,
        `  #0 POST ${server.url}/v1/chat/completions`,
        '    body ~ created: number → string',
        '    body + prompt_filter_results (array)',
        '    body - system_fingerprint (string)',
        `  #1 POST ${server.url}/v1/messages`,
        '    event content_block_delta: + citations (array)',
        '    event type vanished: ping',
        `  #2 POST ${server.url}/v1/responses`,
        '    status 200 → 202',
        '    event response.completed: + usage_v2 (object)',
        '    event type vanished: response.output_text.delta',
        '    event type added: response.text.delta',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('cassettes drift: 1 of 1 cassette drifted\n');
  });

  test('recordings of one endpoint with the same changes are listed once, their indices as ranges', async () => {
    const several = async (): Promise<void> => {
      for (const prompt of ['a', 'b', 'c', 'd']) await calls.chat(server.url, prompt);
      await calls.messages(server.url, 'e');
      await calls.chat(server.url, 'f');
    };
    const before = (await record(fresh(), 'many', several, { mode: 'all' })).file;
    server.change({ json: (data) => (data['object'] === 'chat.completion' ? { ...data, choices: 'gone' } : data) });
    const after = (await record(fresh(), 'many', several, { mode: 'all' })).file;
    const run = await runCli(['drift', before, after]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${after}\n  #0-#3, #5 POST ${server.url}/v1/chat/completions\n    body ~ choices: array → string\n    body - choices[] (object)\n`,
    );
  });

  test('two folders: files paired by path; a file on one side only is listed, not drift', async () => {
    const [a, b] = [fresh(), fresh()];
    await recordInto(a, 'nested/same');
    await recordInto(b, 'nested/same');
    await record(a, 'gone', () => calls.chat(server.url, 'old test'), { mode: 'all' });
    await record(b, 'added', () => calls.chat(server.url, 'new test'), { mode: 'all' });
    const run = await runCli(['drift', a, b]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`added.yaml: only in ${b}\ngone.yaml: only in ${a}\n`);
    expect(run.stderr).toBe('cassettes drift: no structural change in 3 cassettes\n');
  });

  test('--against-git <ref>: the work tree against a commit, as a nightly re-record job runs it', async () => {
    const repo = fresh();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.email', 'ci@example.test');
    git('config', 'user.name', 'ci');
    const dir = join(repo, '__cassettes__');
    await recordInto(dir);
    await record(dir, 'removed-later', () => calls.chat(server.url, 'x'), { mode: 'all' });
    git('add', '.');
    git('commit', '-qm', 'cassettes');
    expect((await runCli(['drift', '--against-git', 'HEAD'], { cwd: repo })).code).toBe(0);

    server.change({ json: (data) => (data['object'] === 'chat.completion' ? { ...data, usage: null } : data) });
    // the nightly job is a run of its own: mode all replaces what earlier runs recorded
    process.env['LLM_CASSETTE_RUN_STARTED_AT'] = String(Date.now() + 1);
    try {
      await recordInto(dir);
    } finally {
      delete process.env['LLM_CASSETTE_RUN_STARTED_AT'];
    }
    rmSync(join(dir, 'removed-later.yaml'));
    const run = await runCli(['drift', '--against-git', 'HEAD'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`__cassettes__/api.yaml\n  #0 POST ${server.url}/v1/chat/completions\n    body ~ usage: object → null\n`);
    expect(run.stdout).toContain('__cassettes__/removed-later.yaml: only in HEAD\n');

    const unknown = await runCli(['drift', '--against-git', 'no-such-branch'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cassettes drift: no-such-branch is not a git revision of /);
    const outside = fresh();
    mkdirSync(join(outside, '__cassettes__'));
    const noRepo = await runCli(['drift', '--against-git', 'HEAD'], { cwd: outside });
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain('--against-git needs a git repository');
  });

  test('bad input: a missing file, a file and a folder, one path (exit 2); corrupt YAML (exit 1, named)', async () => {
    const dir = fresh();
    const good = await recordInto(dir);
    const missing = await runCli(['drift', good, join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such file or folder: ${join(dir, 'nope.yaml')}`);
    const mixed = await runCli(['drift', good, dir]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('compare two files or two folders');
    const one = await runCli(['drift', good]);
    expect(one.code).toBe(2);
    const corrupt = join(dir, 'corrupt.yaml');
    writeFileSync(corrupt, 'version: 1\ninteractions:\n  - request: {method: GET\n');
    const bad = await runCli(['drift', good, corrupt]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(`${corrupt}: cannot read cassette ${corrupt} (line 4): unexpected end of the stream within a flow collection\n`);
    expect(bad.stderr).toBe('cassettes drift: 0 of 1 cassette drifted, 1 could not be read\n');
    for (const run of [missing, mixed, one, bad]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
