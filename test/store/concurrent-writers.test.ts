/**
 * Several writers of one cassette at once: processes (through the built package), and sessions
 * of one process. Every interaction any of them recorded must be in the file, the file valid.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cassetteFile, withCassette } from '../../src/index.js';
import { buildIfStale } from '../e2e/support/packed.js';
import { askEcho, echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';
import { litter, promptsIn, readCassetteFile, startWriter, type WriterInput } from './support/cassette-files.js';

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  await buildIfStale();
  server = await startLocalServer(echoHandler());
  dir = mkdtempSync(join(tmpdir(), 'cassettes-writers-'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (content: string): Promise<string> => askEcho(server, content);

describe('processes writing one cassette at once', () => {
  const figures = { trials: 0, expected: 0, lost: 0, invalid: 0, litter: 0 };
  afterAll(() => {
    console.info(
      `concurrent writers: ${figures.trials} trials, ${figures.expected} interactions recorded by 4 processes at once: ${figures.lost} lost, ${figures.invalid} invalid files, ${figures.litter} temp files or locks left`,
    );
  });

  const trial = async (name: string, rounds: number, mode: WriterInput['mode']): Promise<void> => {
    figures.trials++;
    const writers = Array.from({ length: 4 }, (_, p) => startWriter({ dir, name, baseUrl: server.url, id: `p${p}`, rounds, parallel: 2, perCall: 5, mode }));
    const exits = await Promise.all(writers.map((w) => w.exited));
    for (const [p, exit] of exits.entries()) expect(exit, writers[p]!.output()).toEqual({ code: 0, signal: null });
    const recorded = writers.flatMap((w) => w.saved);
    expect(recorded).toHaveLength(4 * rounds * 2 * 5);
    figures.expected += recorded.length;
    const file = cassetteFile(name, dir);
    let prompts: string[] = [];
    try {
      prompts = promptsIn(readCassetteFile(file));
    } catch (error) {
      figures.invalid++;
      throw error;
    }
    const present = new Set(prompts);
    figures.lost += recorded.filter((p) => !present.has(p)).length;
    expect(prompts.sort()).toEqual([...recorded].sort());
    const left = litter(file);
    figures.litter += left.temps.length + (left.lock ? 1 : 0);
    expect(left).toEqual({ temps: [], lock: false });
  };

  test('4 processes × 3 rounds × 2 calls at once in mode new, 3 trials: every interaction is in the file', { timeout: 120_000 }, async () => {
    for (let t = 0; t < 3; t++) await trial(`new-${t}`, 3, 'new');
  });
});

describe('sessions of one process writing one cassette', () => {
  test('two same-name withCassette calls at once, 100 requests each: 0 lost', async () => {
    const many = (tag: string) => async () => {
      for (let i = 0; i < 100; i++) await ask(`${tag} ${i}`);
    };
    await Promise.all([withCassette('twin', many('a'), { dir, mode: 'new' }), withCassette('twin', many('b'), { dir, mode: 'new' })]);
    const prompts = promptsIn(readCassetteFile(cassetteFile('twin', dir)));
    expect(prompts).toHaveLength(200);
    expect(new Set(prompts).size).toBe(200);
  });

  test('two sessions recording a cassette that does not exist yet (mode once): both are in it', async () => {
    await Promise.all([
      withCassette('first', () => ask('from one'), { dir, mode: 'once' }),
      withCassette('first', () => ask('from two'), { dir, mode: 'once' }),
    ]);
    expect(promptsIn(readCassetteFile(cassetteFile('first', dir))).sort()).toEqual(['from one', 'from two']);
  });

  test('two tests making the same request each find it at ordinal 0: it is stored once, and both replay', async () => {
    const both = () =>
      Promise.all([withCassette('same', () => ask('hello'), { dir, mode: 'new' }), withCassette('same', () => ask('hello'), { dir, mode: 'new' })]);
    await both();
    expect(promptsIn(readCassetteFile(cassetteFile('same', dir)))).toEqual(['hello']);
    const seen = server.seen.length;
    expect(
      await Promise.all([withCassette('same', () => ask('hello'), { dir, mode: 'none' }), withCassette('same', () => ask('hello'), { dir, mode: 'none' })]),
    ).toEqual(['hello', 'hello']);
    expect(server.seen.length).toBe(seen);
  });

  test('mode all: the file ends with exactly this run’s interactions, those of other calls of the run included', async () => {
    const file = cassetteFile('rerecord', dir);
    await withCassette('rerecord', async () => [await ask('old 1'), await ask('old 2')], { dir, mode: 'new' });
    // recorded by an earlier run
    writeFileSync(file, readFileSync(file, 'utf8').replace(/recordedAt: "[^"]+"/g, 'recordedAt: "2020-01-01T00:00:00.000Z"'));
    await Promise.all([
      withCassette('rerecord', () => ask('this run, call 1'), { dir, mode: 'all' }),
      withCassette('rerecord', () => ask('this run, call 2'), { dir, mode: 'all' }),
    ]);
    await withCassette('rerecord', () => ask('this run, call 3'), { dir, mode: 'all' });
    expect(promptsIn(readCassetteFile(file)).sort()).toEqual(['this run, call 1', 'this run, call 2', 'this run, call 3']);
  });
});
