/**
 * The cassette file as a user's file system has it: read-only, unreadable, a folder in its
 * place, a lock or temp files left by a process that died, a lock held by a live writer.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeCassette } from '../../src/cassette/codec.js';
import { STALE_MS } from '../../src/cassette/lock.js';
import { saveCassette } from '../../src/cassette/store.js';
import { cassetteFile, isCassetteError, withCassette } from '../../src/index.js';
import type { Interaction } from '../../src/types.js';
import { askEcho, echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';
import { litter, promptsIn, readCassetteFile } from './support/cassette-files.js';

let server: LocalServer;
let root: string;
let count = 0;
const freshDir = (): string => join(root, `case-${++count}`);

beforeAll(async () => {
  server = await startLocalServer(echoHandler());
  root = mkdtempSync(join(tmpdir(), 'cassettes-files-'));
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const ask = (content: string): Promise<string> => askEcho(server, content);

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

const asRoot = process.getuid?.() === 0;

describe('files the store cannot use as they are', () => {
  test('a read-only (0444) cassette is not replaced: recording into it fails with LLM_CASSETTE_READ_ONLY, replaying it works', async () => {
    const dir = freshDir();
    await withCassette('locked', () => ask('kept'), { dir, mode: 'new' });
    const file = cassetteFile('locked', dir);
    chmodSync(file, 0o444);
    const before = readFileSync(file, 'utf8');
    const error = await failure(withCassette('locked', () => ask('new one'), { dir, mode: 'new' }));
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_READ_ONLY');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('chmod u+w');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(await withCassette('locked', () => ask('kept'), { dir, mode: 'none' })).toBe('kept');
  });

  test('a folder where the cassette file should be is LLM_CASSETTE_UNREADABLE, not a format error', async () => {
    const dir = freshDir();
    mkdirSync(cassetteFile('folder', dir), { recursive: true });
    for (const mode of ['none', 'new'] as const) {
      const error = await failure(withCassette('folder', () => ask('x'), { dir, mode }));
      expect(isCassetteError(error) && error.code, mode).toBe('LLM_CASSETTE_UNREADABLE');
      expect((error as Error).message).toContain('a folder is where the cassette file should be');
    }
  });

  test.skipIf(asRoot)('a file without read permission is LLM_CASSETTE_UNREADABLE', async () => {
    const dir = freshDir();
    await withCassette('secret', () => ask('x'), { dir, mode: 'new' });
    chmodSync(cassetteFile('secret', dir), 0o000);
    const error = await failure(withCassette('secret', () => ask('x'), { dir, mode: 'none' }));
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_UNREADABLE');
  });
  if (asRoot) console.info('files: running as root, which reads any file: the unreadable-file case (chmod 000) is skipped');

  test('a cassette that became invalid on disk is not overwritten by a save', async () => {
    const dir = freshDir();
    await withCassette('broken', () => ask('a'), { dir, mode: 'new' });
    const file = cassetteFile('broken', dir);
    const error = await failure(
      withCassette(
        'broken',
        async () => {
          const answer = await ask('b');
          // another process damages the file while this session records
          writeFileSync(file, 'version: 1\ninteractions: [');
          return answer;
        },
        { dir, mode: 'new' },
      ),
    );
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_FORMAT');
    expect(readFileSync(file, 'utf8')).toBe('version: 1\ninteractions: [');
  });
});

describe('what a killed writer leaves behind', () => {
  test('a stale lock (its process died) is taken over: the save goes through and the lock goes', async () => {
    const dir = freshDir();
    const file = cassetteFile('stale', dir);
    mkdirSync(`${file}.lock`, { recursive: true });
    const past = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(`${file}.lock`, past, past);
    const started = performance.now();
    await withCassette('stale', () => ask('after a crash'), { dir, mode: 'new' });
    expect(performance.now() - started).toBeLessThan(STALE_MS);
    expect(promptsIn(readCassetteFile(file))).toEqual(['after a crash']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test('a lock held by a live writer makes the save wait for it, never write past it', async () => {
    const dir = freshDir();
    await withCassette('busy', () => ask('first'), { dir, mode: 'new' });
    const file = cassetteFile('busy', dir);
    mkdirSync(`${file}.lock`);
    let saved = false;
    const session = withCassette('busy', () => ask('second'), { dir, mode: 'new' }).then(() => (saved = true));
    await sleep(400);
    expect(saved).toBe(false);
    expect(promptsIn(readCassetteFile(file))).toEqual(['first']);
    rmSync(`${file}.lock`, { recursive: true });
    await session;
    expect(promptsIn(readCassetteFile(file))).toEqual(['first', 'second']);
  });

  test('temp files of a killed writer go at the next load (a replay), and at the next save', async () => {
    const dir = freshDir();
    await withCassette('litter', () => ask('a'), { dir, mode: 'new' });
    const file = cassetteFile('litter', dir);
    const temp = (pid: number): string => join(dir, `.litter.yaml.${pid}.deadbeef.tmp`);
    writeFileSync(temp(999_999), 'version: 1\ninteractions:\n  - key: half a wri');
    // another cassette's temp file is left alone
    writeFileSync(join(dir, '.other.yaml.999999.deadbeef.tmp'), 'x');
    expect(await withCassette('litter', () => ask('a'), { dir, mode: 'none' })).toBe('a');
    expect(litter(file)).toEqual({ temps: [], lock: false });
    expect(existsSync(join(dir, '.other.yaml.999999.deadbeef.tmp'))).toBe(true);

    writeFileSync(temp(999_998), 'partial');
    mkdirSync(`${file}.lock`);
    const past = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(`${file}.lock`, past, past);
    await withCassette('litter', () => ask('b'), { dir, mode: 'new' });
    expect(litter(file)).toEqual({ temps: [], lock: false });
    expect(promptsIn(readCassetteFile(file))).toEqual(['a', 'b']);
  });

  test('a file that changes under a save that holds the lock (two writers took over one stale lock) is merged again, not overwritten', async () => {
    const dir = freshDir();
    await withCassette('race', () => ask('first'), { dir, mode: 'new' });
    await withCassette('rival', () => ask('from the rival'), { dir, mode: 'new' });
    const file = cassetteFile('race', dir);
    const rival = readCassetteFile(cassetteFile('rival', dir)).interactions[0]!;
    const view = [...readCassetteFile(file).interactions, { ...rival, request: { ...rival.request } }];
    view[1]!.request.body = { json: { messages: [{ role: 'user', content: 'mine' }], model: 'gpt-test' } };
    let calls = 0;
    const saved = await saveCassette(file, {
      view,
      recordedWith: 'test',
      keys: () => {
        // the other writer renames its file in between this save's read and its write
        if (++calls === 1)
          writeFileSync(file, encodeCassette({ version: 1, recordedWith: 'rival', interactions: [...readCassetteFile(file).interactions, rival] }));
        return (interaction) => JSON.stringify((interaction as Interaction).request.body);
      },
    });
    expect(calls).toBe(2);
    expect(saved.written).toBe(true);
    expect(readCassetteFile(file).interactions.map((i) => JSON.stringify(i.request.body))).toEqual([
      expect.stringContaining('"first"'),
      expect.stringContaining('from the rival'),
      expect.stringContaining('"mine"'),
    ]);
  });
});
