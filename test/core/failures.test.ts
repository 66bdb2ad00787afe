import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CassetteFormatError, isCassetteError, withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'llmc-fail-'));
const ask = (q: string): Promise<unknown> => fetch(`${server.url}/v1/x`, { method: 'POST', body: JSON.stringify({ q }) }).then((r) => r.json());

describe('bad files and failures', () => {
  test('a corrupt cassette rejects with LLM_CASSETTE_FORMAT naming the file and line', async () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ninteractions:\n  - request: [unclosed\n');
    const error = await withCassette('bad', () => 1, { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteFormatError);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_FORMAT');
    expect((error as Error).message).toContain(join(dir, 'bad.yaml'));
    expect((error as CassetteFormatError).line).toBeGreaterThan(0);
  });

  test('an unknown version is refused with a helpful message', async () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'v9.yaml'), 'version: 9\ninteractions: []\n');
    const error = await withCassette('v9', () => 1, { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_FORMAT');
    expect((error as Error).message).toContain('unknown version 9');
  });

  test('an unwritable cassette: the caller still gets its response, other files are intact, the test fails loudly', async () => {
    const dir = dirOf();
    await withCassette('keep', () => ask('old'), { dir, mode: 'once' });
    const before = readFileSync(join(dir, 'keep.yaml'), 'utf8');
    // a regular file where a folder should be: mkdir fails even for root
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    let got: unknown;
    const error = await withCassette('not-a-folder/x', async () => (got = await ask('new')), { dir, mode: 'once' }).catch((e: unknown) => e);
    expect(got).toMatchObject({ echo: '{"q":"new"}' });
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_WRITE');
    expect((error as Error).message).toContain(join(dir, 'not-a-folder', 'x.yaml'));
    expect(readFileSync(join(dir, 'keep.yaml'), 'utf8')).toBe(before);
  });

  test('a 401 while recording is not saved unless asked', async () => {
    const dir = dirOf();
    const denied = await startLocalServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Incorrect API key provided"}}');
    });
    let status = 0;
    const error = await withCassette('auth', async () => (status = (await fetch(`${denied.url}/v1/x`, { method: 'POST', body: '{}' })).status), {
      dir,
      mode: 'once',
    }).catch((e: unknown) => e);
    expect(status).toBe(401);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_AUTH');
    expect((error as Error).message).toContain('API key');
    await expect(withCassette('auth', () => 1, { dir, mode: 'none' })).rejects.toMatchObject({ code: 'LLM_CASSETTE_NOT_FOUND' });
    await withCassette('auth', () => fetch(`${denied.url}/v1/x`, { method: 'POST', body: '{}' }).then((r) => r.text()), {
      dir,
      mode: 'once',
      recordAuthFailures: true,
    });
    expect(readFileSync(join(dir, 'auth.yaml'), 'utf8')).toContain('status: 401');
    await denied.close();
  });

  test('a request that fails before any response is recorded and replays as the same network error', async () => {
    const dir = dirOf();
    const gone = await startLocalServer(() => undefined);
    const url = gone.url;
    await gone.close();
    const call = (): Promise<string> =>
      fetch(`${url}/v1/x`, { method: 'POST', body: '{}' }).then(
        () => 'answered',
        (e: Error & { cause?: { code?: string } }) => `${e.name}: ${e.message} / ${e.cause?.code}`,
      );
    const live = await withCassette('refused', call, { dir, mode: 'once' });
    expect(live).toBe('TypeError: fetch failed / ECONNREFUSED');
    expect(readFileSync(join(dir, 'refused.yaml'), 'utf8')).toContain('code: ECONNREFUSED');
    expect(await withCassette('refused', call, { dir, mode: 'none' })).toBe(live);
  });

  test('beforeRecord may edit an interaction before it is written', async () => {
    const dir = dirOf();
    await withCassette('hook', () => ask('h'), {
      dir,
      mode: 'once',
      beforeRecord: (interaction) => {
        interaction.response!.headers['x-edited'] = 'yes';
      },
    });
    // quoted: a YAML 1.1 reader would take a bare yes for true
    expect(readFileSync(join(dir, 'hook.yaml'), 'utf8')).toContain('x-edited: "yes"');
  });

  test('maxBodyBytes fails the recording loudly instead of truncating', async () => {
    const dir = dirOf();
    let body = '';
    const error = await withCassette('big', async () => (body = JSON.stringify(await ask('x'.repeat(500)))), { dir, mode: 'once', maxBodyBytes: 100 }).catch(
      (e: unknown) => e,
    );
    expect(body.length).toBeGreaterThan(500);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_TOO_LARGE');
    await expect(withCassette('big', () => 1, { dir, mode: 'none' })).rejects.toMatchObject({ code: 'LLM_CASSETTE_NOT_FOUND' });
  });
});
