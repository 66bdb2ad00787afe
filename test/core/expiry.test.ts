import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CassetteReport, httpInteractions, isCassetteError, readCassette, withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const ask = (q: string): Promise<unknown> => fetch(`${server.url}/v1/x`, { method: 'POST', body: JSON.stringify({ q }) }).then((r) => r.json());

/** A cassette with two recordings, the first dated `daysAgo` back. */
async function agedCassette(daysAgo: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-expiry-'));
  await withCassette('aged', async () => [await ask('old'), await ask('fresh')], { dir, mode: 'once' });
  const file = join(dir, 'aged.yaml');
  const old = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const text = readFileSync(file, 'utf8');
  const first = text.indexOf('recordedAt: ');
  writeFileSync(file, text.slice(0, first) + text.slice(first).replace(/recordedAt: "[^"]+"/, `recordedAt: "${old}"`));
  return dir;
}

const both = async (): Promise<unknown[]> => [await ask('old'), await ask('fresh')];

describe('cassettes that expire (maxAge, expired)', () => {
  test("expired: 'warn' (the default) replays, lists the expired recording in the report and warns once on stderr", async () => {
    const dir = await agedCassette(40);
    let report: CassetteReport | undefined;
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await withCassette('aged', both, { dir, mode: 'none', maxAge: '30d', onReport: (r) => (report = r) });
    } finally {
      process.stderr.write = write;
    }
    expect(report).toMatchObject({ replayed: 2, expired: [0] });
    expect(stderr.join('')).toMatch(/cassettes: warning: 1 recording\(s\) in .*aged\.yaml are older than maxAge 30d \(#0; the oldest 40 days old\)/);
  });

  test("expired: 'error' fails the cassette with LLM_CASSETTE_EXPIRED naming the file and the fix; a younger cassette passes", async () => {
    const dir = await agedCassette(40);
    const error = await withCassette('aged', both, { dir, mode: 'none', maxAge: '30d', expired: 'error' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_EXPIRED');
    expect((error as Error).message).toContain(join(dir, 'aged.yaml'));
    expect((error as Error).message).toContain('raise maxAge');
    await expect(withCassette('aged', both, { dir, mode: 'none', maxAge: '60d', expired: 'error' })).resolves.toHaveLength(2);
  });

  test("expired: 'record' re-records what expired where the mode records, and the file keeps one fresh recording in its place", async () => {
    const dir = await agedCassette(40);
    const seen = server.seen.length;
    let report: CassetteReport | undefined;
    await withCassette('aged', both, { dir, mode: 'new', maxAge: '30d', expired: 'record', onReport: (r) => (report = r) });
    expect(report).toMatchObject({ recorded: 1, replayed: 1, expired: [0], written: true });
    expect(server.seen.length).toBe(seen + 1);
    const stored = httpInteractions(readCassette(join(dir, 'aged.yaml')));
    expect(stored).toHaveLength(2);
    expect(stored.every((i) => Date.now() - Date.parse(i.recordedAt) < 86_400_000)).toBe(true);
    // and it replays from the fresh one
    await expect(withCassette('aged', both, { dir, mode: 'none', maxAge: '30d', expired: 'error' })).resolves.toHaveLength(2);
  });

  test('a maxAge that is not a duration is LLM_CASSETTE_OPTIONS', async () => {
    const dir = await agedCassette(1);
    const error = await withCassette('aged', both, { dir, mode: 'none', maxAge: 'a month' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_OPTIONS');
  });
});
