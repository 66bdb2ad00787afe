import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type CassetteReport, configure, isCassetteError, resetConfiguration, withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());
afterEach(() => {
  resetConfiguration();
  delete process.env['LLM_CASSETTE_RECORD'];
  delete process.env['LLM_CASSETTE_RECORD_FLAG'];
});

function freshDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'llmc-modes-'));
  return dir;
}

async function ask(prompt: string, temperature = 0): Promise<{ echo: string; call: number }> {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-modes-secret-0001' },
    body: JSON.stringify({ model: 'm', temperature, messages: [{ role: 'user', content: prompt }] }),
  });
  return (await res.json()) as { echo: string; call: number };
}

async function report(name: string, fn: () => Promise<unknown>, options: Parameters<typeof withCassette>[2] = {}): Promise<CassetteReport> {
  let got: CassetteReport | undefined;
  await withCassette(name, fn, { dir, ...options, onReport: (r) => (got = r) });
  return got!;
}

describe('record modes', () => {
  test('none: a missing cassette rejects with LLM_CASSETTE_NOT_FOUND before anything runs', async () => {
    freshDir();
    let ran = false;
    const error = await withCassette('missing', () => (ran = true), { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NOT_FOUND');
    expect(String((error as Error).message)).toContain(join(dir, 'missing.yaml'));
    expect(ran).toBe(false);
  });

  test('once: records when missing, then replays without the network and refuses new requests', async () => {
    freshDir();
    const before = server.seen.length;
    const first = await report('once', () => ask('hello'), { mode: 'once' });
    expect(first).toMatchObject({ recorded: 1, replayed: 0, written: true });
    expect(server.seen.length).toBe(before + 1);

    const again = await report('once', () => ask('hello'), { mode: 'once' });
    expect(again).toMatchObject({ recorded: 0, replayed: 1, written: false });
    expect(server.seen.length).toBe(before + 1);

    const error = await withCassette('once', () => ask('something else'), { dir, mode: 'once' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    expect(server.seen.length).toBe(before + 1);
  });

  test('new: replays what matches and appends what does not, keeping the old interactions', async () => {
    freshDir();
    await withCassette('new', () => ask('one'), { dir, mode: 'once' });
    const before = server.seen.length;
    const r = await report('new', async () => [await ask('one'), await ask('two')], { mode: 'new' });
    expect(r).toMatchObject({ replayed: 1, recorded: 1, written: true });
    expect(server.seen.length).toBe(before + 1);
    const text = readFileSync(join(dir, 'new.yaml'), 'utf8');
    expect(text.match(/- key:/g)).toHaveLength(2);
    expect(text.indexOf('content: one')).toBeLessThan(text.indexOf('content: two'));
  });

  test('all: re-records everything and the file holds exactly this run', async () => {
    freshDir();
    await withCassette('all', async () => [await ask('a'), await ask('b')], { dir, mode: 'once' });
    // as if recorded by an earlier run: `all` keeps what this run (this process) recorded before
    const file = join(dir, 'all.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/recordedAt: "[^"]+"/g, 'recordedAt: "2020-01-01T00:00:00.000Z"'));
    const before = server.seen.length;
    const r = await report('all', () => ask('a'), { mode: 'all' });
    expect(r).toMatchObject({ recorded: 1, replayed: 0 });
    expect(server.seen.length).toBe(before + 1);
    const text = readFileSync(join(dir, 'all.yaml'), 'utf8');
    expect(text.match(/- key:/g)).toHaveLength(1);
    expect(text).not.toContain('content: b');
  });

  test('passthrough: neither records nor replays', async () => {
    freshDir();
    const before = server.seen.length;
    const r = await report('pass', () => ask('x'), { mode: 'passthrough' });
    expect(r).toMatchObject({ passedThrough: 1, recorded: 0, written: false });
    expect(server.seen.length).toBe(before + 1);
    expect(existsSync(join(dir, 'pass.yaml'))).toBe(false);
  });

  test('a request repeated more often than recorded is a miss in none, recorded in new, replayed with allowPlaybackRepeats', async () => {
    freshDir();
    await withCassette('repeat', () => ask('same'), { dir, mode: 'once' });
    const miss = await withCassette('repeat', async () => [await ask('same'), await ask('same')], { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(miss) && miss.code).toBe('LLM_CASSETTE_NO_MATCH');
    expect((miss as Error).message).toContain('already used 1 time');

    const twice = await withCassette('repeat', async () => [await ask('same'), await ask('same')], { dir, mode: 'none', allowPlaybackRepeats: true });
    expect(twice[0]).toEqual(twice[1]);

    const r = await report('repeat', async () => [await ask('same'), await ask('same')], { mode: 'new' });
    expect(r).toMatchObject({ replayed: 1, recorded: 1 });
  });

  test('replay never rewrites the file', async () => {
    freshDir();
    await withCassette('stable', () => ask('s'), { dir, mode: 'once' });
    const file = join(dir, 'stable.yaml');
    const before = statSync(file).mtimeMs;
    const text = readFileSync(file, 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    await withCassette('stable', () => ask('s'), { dir, mode: 'none' });
    await withCassette('stable', () => ask('s'), { dir, mode: 'new' });
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('failOnUnused turns a recorded call the code stopped making into LLM_CASSETTE_UNUSED', async () => {
    freshDir();
    await withCassette('unused', async () => [await ask('kept'), await ask('dropped')], { dir, mode: 'once' });
    const r = await report('unused', () => ask('kept'), { mode: 'none' });
    expect(r.unused).toEqual([1]);
    const error = await withCassette('unused', () => ask('kept'), { dir, mode: 'none', failOnUnused: true }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_UNUSED');
  });
});

describe('choosing the mode', () => {
  test('a misspelt mode fails at once with LLM_CASSETTE_MODE and lists the valid ones', async () => {
    freshDir();
    process.env['LLM_CASSETTE_RECORD'] = 'recrod';
    const error = await withCassette('x', () => 1, { dir }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_MODE');
    expect((error as Error).message).toContain('none, once, new, all, passthrough');
    expect((error as Error).message).toContain('LLM_CASSETTE_RECORD');
  });

  test('precedence: option > --record flag > LLM_CASSETTE_RECORD > configure() > CI default', async () => {
    freshDir();
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nrecordedWith: test\ninteractions: []\n');
    const modeOf = async (options: Parameters<typeof withCassette>[2] = {}): Promise<string> => (await report('p', async () => undefined, options)).mode;

    const ci = process.env['CI'];
    try {
      process.env['CI'] = 'true';
      expect(await modeOf()).toBe('none');
      delete process.env['CI'];
      expect(await modeOf()).toBe('once');
      configure({ mode: 'new' });
      expect(await modeOf()).toBe('new');
      process.env['LLM_CASSETTE_RECORD'] = 'all';
      expect(await modeOf()).toBe('all');
      process.env['LLM_CASSETTE_RECORD_FLAG'] = 'passthrough';
      expect(await modeOf()).toBe('passthrough');
      expect(await modeOf({ mode: 'none' })).toBe('none');
    } finally {
      if (ci === undefined) delete process.env['CI'];
      else process.env['CI'] = ci;
    }
  });
});
