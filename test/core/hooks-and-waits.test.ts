import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CassetteReport, isCassetteError, withCassette } from '../../src/index.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    if (request.url.startsWith('/endless')) {
      // a stream that never ends on its own: one event every 20 ms until the client goes
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => res.write(`data: {"n":${n++}}\n\n`), 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echo: request.body }));
  });
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'cassettes-hooks-'));
const ask = (q: string): Promise<unknown> =>
  fetch(`${server.url}/v1/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q }) }).then((r) => r.json());

describe('user hooks that throw', () => {
  test('a throwing beforeRecord fails the cassette with LLM_CASSETTE_HOOK, the app keeps its response, the old file stays as it was', async () => {
    const dir = dirOf();
    await withCassette('kept', () => ask('old'), { dir, mode: 'new' });
    const before = readFileSync(join(dir, 'kept.yaml'), 'utf8');
    let answer: unknown;
    let report: CassetteReport | undefined;
    const error = await withCassette(
      'kept',
      async () => {
        answer = await ask('new');
      },
      {
        dir,
        mode: 'new',
        beforeRecord: () => {
          throw new Error('hook broke');
        },
        onReport: (r) => (report = r),
      },
    ).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_HOOK');
    expect((error as Error).message).toContain('beforeRecord');
    expect((error as Error).message).toContain('hook broke');
    expect((error as Error).message).toContain(join(dir, 'kept.yaml'));
    expect(answer).toEqual({ echo: JSON.stringify({ q: 'new' }) });
    expect(report).toMatchObject({ recorded: 0, written: false });
    expect(readFileSync(join(dir, 'kept.yaml'), 'utf8')).toBe(before);
  });

  test('a throwing match hook fails the cassette with LLM_CASSETTE_HOOK, not only the app', async () => {
    const dir = dirOf();
    await withCassette('matched', () => ask('one'), { dir, mode: 'new' });
    const error = await withCassette('matched', () => ask('one').catch(() => 'the app swallowed it'), {
      dir,
      mode: 'none',
      match: () => {
        throw new Error('matcher broke');
      },
    }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_HOOK');
    expect((error as Error).message).toContain('matcher broke');
  });
});

describe('recordings that cannot end', () => {
  test('a stream the app stops reading is cut after maxRecordingWaitMs: LLM_CASSETTE_UNFINISHED names the request, what arrived is saved as a cut stream', async () => {
    const dir = dirOf();
    const started = Date.now();
    const error = await withCassette(
      'endless',
      async () => {
        const response = await fetch(`${server.url}/endless`);
        const reader = response.body!.getReader();
        await reader.read();
        // returns without reading on or cancelling
      },
      { dir, mode: 'new', maxRecordingWaitMs: 300 },
    ).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_UNFINISHED');
    expect((error as Error).message).toContain(`GET ${server.url}/endless`);
    expect(Date.now() - started).toBeLessThan(10_000);
    const file = join(dir, 'endless.yaml');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('state: aborted');
    // the key quoted: a YAML 1.1 reader takes a bare n for false
    expect(text).toMatch(/"n": 0/);

    const replay = await withCassette(
      'endless',
      async () => {
        const response = await fetch(`${server.url}/endless`);
        return response.text().catch((e: unknown) => (e as Error).cause ?? e);
      },
      { dir, mode: 'none' },
    ).catch((e: unknown) => e);
    expect(String((replay as { code?: string }).code ?? (replay as Error).message)).toContain('LLM_CASSETTE_CUT');
  });
});

describe('requests that outlive their cassette', () => {
  test('a request fired inside the cassette and not awaited is still recorded', async () => {
    const dir = dirOf();
    let report: CassetteReport | undefined;
    let pending: Promise<unknown> | undefined;
    await withCassette(
      'fired',
      () => {
        pending = ask('not awaited');
      },
      { dir, mode: 'new', onReport: (r) => (report = r) },
    );
    await pending;
    expect(report).toMatchObject({ recorded: 1, written: true });
    expect(readFileSync(join(dir, 'fired.yaml'), 'utf8')).toContain('not awaited');
  });

  test('a request from a timer after a replay-only cassette ended is refused, never sent, and a warning names it', async () => {
    const dir = dirOf();
    await withCassette('timer', () => ask('inside'), { dir, mode: 'new' });
    const seen = server.seen.length;
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    let late: Promise<unknown> | undefined;
    await withCassette(
      'timer',
      async () => {
        await ask('inside');
        // fires after the cassette's function returned and the cassette closed
        setTimeout(() => {
          late = ask('after the end').catch((e: unknown) => e);
        }, 30);
      },
      { dir, mode: 'none' },
    );
    await new Promise((r) => setTimeout(r, 200));
    const outcome = await late;
    process.off('warning', onWarning);
    expect(outcome).toBeInstanceOf(Error);
    expect(server.seen.length).toBe(seen);
    expect(warnings.some((w) => w.includes('after cassette "timer" ended'))).toBe(true);
  });
});
