import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette } from '../../src/cassette/codec.js';
import { runCli } from './support/cli.js';
import { calls, record } from './support/record.js';
import { echoReply, startWireServer, type WireServer } from './support/wire-server.js';

let server: WireServer;

beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());
afterEach(() => server.reply(echoReply));

const fresh = (): string => mkdtempSync(join(tmpdir(), 'cassettes-cli-merge-'));
const interactionsOf = (file: string) => decodeCassette(readFileSync(file, 'utf8'), file).interactions;

/** Two CI shards record the same cassette: both make the shared setup call, each its own tests' calls. */
async function shards(): Promise<{ a: string; b: string }> {
  const [dirA, dirB] = [fresh(), fresh()];
  const { file: a } = await record(dirA, 'suite/shared', async () => {
    await calls.chat(server.url, 'setup');
    await calls.chat(server.url, 'test one', { stream: true });
    await calls.chat(server.url, 'repeated');
  });
  const { file: b } = await record(dirB, 'suite/shared', async () => {
    await calls.chat(server.url, 'setup');
    await calls.messages(server.url, 'test two');
    await calls.chat(server.url, 'repeated');
    await calls.chat(server.url, 'repeated');
  });
  return { a, b };
}

describe('cassettes merge', () => {
  test('shards: the first keeps everything, the second adds what it alone holds; the result is canonical and replays every shard', async () => {
    const { a, b } = await shards();
    const out = join(fresh(), 'merged.yaml');
    const run = await runCli(['merge', out, a, b]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${out}: 5 interactions: 3 from ${a}, 2 from ${b} (2 already held)\n`);
    expect(run.stderr).toBe('cassettes merge: 1 cassette written, 0 conflicts\n');
    const merged = interactionsOf(out);
    const [fromA, fromB] = [interactionsOf(a), interactionsOf(b)];
    // A whole and in order, then B's test call and B's second "repeated" (ordinal 1, a place A did not hold)
    expect(merged).toEqual([...fromA, fromB[1], fromB[3]]);
    expect((await runCli(['verify', out])).code).toBe(0);
    const dir = join(out, '..');
    const replayed = await record(
      dir,
      'merged',
      async () => {
        await calls.chat(server.url, 'setup');
        await calls.chat(server.url, 'test one', { stream: true });
        await calls.messages(server.url, 'test two');
        await calls.chat(server.url, 'repeated');
        await calls.chat(server.url, 'repeated');
      },
      { mode: 'none' },
    );
    expect(replayed.report).toMatchObject({ replayed: 5, refused: 0, unused: [] });
  });

  test('deterministic: the same inputs in the same order give the same bytes; merging into an input works', async () => {
    const { a, b } = await shards();
    const dir = fresh();
    await runCli(['merge', join(dir, 'one.yaml'), a, b]);
    await runCli(['merge', join(dir, 'two.yaml'), a, b]);
    expect(readFileSync(join(dir, 'one.yaml'), 'utf8')).toBe(readFileSync(join(dir, 'two.yaml'), 'utf8'));
    const into = await runCli(['merge', a, a, b]);
    expect(into.code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(join(dir, 'one.yaml'), 'utf8'));
    const again = await runCli(['merge', a, a, b]);
    expect(again.stdout).toBe(`${a}: 5 interactions: 5 from ${a}, 0 from ${b} (4 already held)\n`);
  });

  test('a conflict (the same place answered differently) is listed, the first answer kept, exit 1', async () => {
    const [dirA, dirB] = [fresh(), fresh()];
    const { file: a } = await record(dirA, 'c', () => calls.chat(server.url, 'what time is it?'));
    server.reply(() => ({ content: 'another answer on the other machine' }));
    const { file: b } = await record(dirB, 'c', () => calls.chat(server.url, 'what time is it?'));
    const out = join(fresh(), 'c.yaml');
    const run = await runCli(['merge', out, a, b]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${out}: 1 interaction: 1 from ${a}, 0 from ${b} (1 already held)\n` +
        `  conflict #0 POST ${server.url}/v1/chat/completions: ${b} #0 answers differently (the bodies differ); kept the first\n`,
    );
    expect(run.stderr).toBe('cassettes merge: 1 cassette written, 1 conflict\n');
    expect(interactionsOf(out)).toEqual(interactionsOf(a));
  });

  test('folders: merged file by file, by relative path', async () => {
    const { a, b } = await shards();
    const rootA = join(a, '..', '..');
    const rootB = join(b, '..', '..');
    await record(rootB, 'only-in-b', () => calls.gemini(server.url, 'b alone'));
    const out = fresh();
    const run = await runCli(['merge', out, rootA, rootB]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${join(out, 'only-in-b.yaml')}: 1 interaction: 1 from ${join(rootB, 'only-in-b.yaml')}\n` +
        `${join(out, 'suite/shared.yaml')}: 5 interactions: 3 from ${a}, 2 from ${b} (2 already held)\n`,
    );
    expect(interactionsOf(join(out, 'suite/shared.yaml'))).toHaveLength(5);
  });

  test('bad input: missing input, an existing output that is not an input, files and folders mixed, too few paths (exit 2); a corrupt input (exit 1)', async () => {
    const { a, b } = await shards();
    const dir = fresh();
    const cases = [
      [['merge', join(dir, 'o.yaml'), join(dir, 'missing.yaml')], `no such file or folder: ${join(dir, 'missing.yaml')}`],
      [['merge', b, a], `${b} exists and is not one of the inputs`],
      [['merge', join(dir, 'o.yaml'), a, dir], 'merge files, or folders, not both'],
      [['merge', join(dir, 'o.yaml')], 'name the output and at least one input'],
    ] as const;
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const corrupt = join(dir, 'corrupt.yaml');
    writeFileSync(corrupt, 'version: 1\ninteractions:\n  - request: {method: GET\n');
    const bad = await runCli(['merge', join(dir, 'o.yaml'), a, corrupt]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read cassette .*corrupt\.yaml \(line 4\)/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
