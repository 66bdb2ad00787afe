import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withMockLLM } from '../../src/entries/mock.js';
import { type CassetteReport, currentCassette, type IgnoreRule, isCassetteError, readCassette, withCassette } from '../../src/index.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'cassettes-introspect-'));
const get = (path: string): Promise<string> => fetch(`${server.url}${path}`).then((r) => r.text());

describe('introspection', () => {
  test('currentCassette names the innermost cassette and its mode; undefined outside, and a mock is not a cassette', async () => {
    const dir = dirOf();
    expect(currentCassette()).toBeUndefined();
    await withCassette(
      'outer',
      async () => {
        expect(currentCassette()).toEqual({ name: 'outer', file: join(dir, 'outer.yaml'), mode: 'new' });
        await withCassette('inner', () => expect(currentCassette()?.name).toBe('inner'), { dir, mode: 'none' }).catch(() => undefined);
        await withMockLLM(['hi'], () => expect(currentCassette()?.name).toBe('outer'));
      },
      { dir, mode: 'new' },
    );
  });

  test('readCassette returns the validated interactions; a damaged file is a typed error naming it', async () => {
    const dir = dirOf();
    await withCassette('read', () => get('/v1/read'), { dir, mode: 'new' });
    const data = readCassette(join(dir, 'read.yaml'));
    expect(data.interactions).toHaveLength(1);
    expect(httpInteractions(data)[0]?.request.url).toBe(`${server.url}/v1/read`);
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ninteractions: [{}]\n');
    const error = (() => {
      try {
        readCassette(join(dir, 'bad.yaml'));
      } catch (e) {
        return e;
      }
    })();
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_FORMAT');
    expect((error as Error).message).toContain(join(dir, 'bad.yaml'));
  });
});

describe('leaving requests out', () => {
  test('ignore takes hosts, path prefixes, URL RegExps and predicates: those requests are neither recorded nor replayed', async () => {
    const dir = dirOf();
    const host = new URL(server.url).host;
    const cases: [string, IgnoreRule[]][] = [
      ['host', [host]],
      ['path', ['/health']],
      ['regexp', [/\/health$/]],
      ['predicate', [(url: URL) => url.pathname === '/health']],
    ];
    for (const [label, ignore] of cases) {
      let report: CassetteReport | undefined;
      await withCassette(`ignore-${label}`, async () => [await get('/health'), await get('/v1/kept')], {
        dir,
        mode: 'new',
        ignore,
        onReport: (r) => (report = r),
      });
      expect(report?.recorded, label).toBe(label === 'host' ? 0 : 1);
      // the host rule leaves everything out: nothing recorded, no file
      if (label !== 'host') expect(readFileSync(join(dir, `ignore-${label}.yaml`), 'utf8'), label).not.toContain('/health');
    }
  });

  test('a nested passthrough cassette exempts its block from the outer cassette', async () => {
    const dir = dirOf();
    const seen = server.seen.length;
    let outer: CassetteReport | undefined;
    await withCassette(
      'outer-record',
      async () => {
        await get('/v1/recorded');
        await withCassette('exempt', () => get('/v1/exempt'), { dir, mode: 'passthrough' });
      },
      { dir, mode: 'new', onReport: (r) => (outer = r) },
    );
    expect(outer?.recorded).toBe(1);
    expect(server.seen.length).toBe(seen + 2);
    expect(readFileSync(join(dir, 'outer-record.yaml'), 'utf8')).not.toContain('/v1/exempt');
  });
});
