import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { configure, isCassetteError, PROVIDER_HOSTS, resetConfiguration, withCassette } from '../../src/index.js';
import { BYPASSING, INTERCEPTED, type Targets } from '../support/client-kinds.js';
import { type CountingServer, startCountingServer, TEST_TLS } from '../support/counting-server.js';

let canary: CountingServer;
let targets: Targets;
beforeAll(async () => {
  canary = await startCountingServer();
  targets = { url: canary.url, h2url: canary.h2url, tlsUrl: canary.tlsUrl, ca: TEST_TLS.cert };
});
afterAll(() => canary.close());
afterEach(() => {
  resetConfiguration();
  delete process.env['LLM_CASSETTE_RECORD'];
});

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'llmc-guard-'));

/** The code of a CassetteError anywhere in an error's cause chain (SDKs and fetch wrap it). */
function codeIn(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (isCassetteError(e)) return e.code;
    // an SDK's error for our 400 carries its body
    const status = (e as { error?: { status?: unknown } }).error?.status;
    if (typeof status === 'string' && status.startsWith('LLM_CASSETTE_')) return status;
  }
  return undefined;
}

/** An empty cassette file: mode none can open it, and nothing in it matches. */
function emptyCassette(dir: string, name: string): void {
  writeFileSync(join(dir, `${name}.yaml`), 'version: 1\nrecordedWith: test\ninteractions: []\n');
}

describe('a request that bypasses the global dispatcher is stopped before its socket opens', () => {
  test.each(Object.keys(BYPASSING))('%s: fails with LLM_CASSETTE_BYPASS inside a cassette, and the server counts no connection', async (kind) => {
    const dir = dirOf();
    const before = [canary.connections(), canary.requests()];
    const error = await withCassette('bypass', () => BYPASSING[kind]!(targets), { dir, mode: 'once' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code, String(error)).toBe('LLM_CASSETTE_BYPASS');
    // a connection attempt that was not stopped would have been accepted by now
    await new Promise((r) => setTimeout(r, 50));
    expect([canary.connections(), canary.requests()]).toEqual(before);
  });

  test('a bypass to a host in ignoreHosts goes through', async () => {
    const dir = dirOf();
    const host = new URL(canary.url).host;
    const before = canary.connections();
    const status = await withCassette('ignored', () => BYPASSING['undici request, own Agent']!(targets), { dir, mode: 'once', ignoreHosts: [host] });
    expect(status).toBe(200);
    expect(canary.connections() - before).toBe(1);
  });

  test('an own Agent keeps working after a stopped request: the next request outside a cassette connects', async () => {
    const { Agent, request } = await import('undici');
    const agent = new Agent();
    try {
      const stopped = await withCassette('reuse', () => request(`${canary.url}/x`, { dispatcher: agent }), { dir: dirOf(), mode: 'once' }).catch(
        (e: unknown) => e,
      );
      expect(isCassetteError(stopped) && stopped.code).toBe('LLM_CASSETTE_BYPASS');
      await new Promise((r) => setImmediate(r));
      const res = await request(`${canary.url}/x`, { dispatcher: agent });
      await res.body.text();
      expect(res.statusCode).toBe(200);
    } finally {
      await agent.close();
    }
  });
});

describe('a replay-only run refuses LLM provider hosts outside any cassette', () => {
  const kinds = { ...INTERCEPTED, ...BYPASSING };

  test.each(Object.keys(kinds))('%s: refused with LLM_CASSETTE_BLOCKED, no connection', async (kind) => {
    configure({ providerHosts: [new URL(canary.url).host, new URL(canary.h2url).host, new URL(canary.tlsUrl).host] });
    process.env['LLM_CASSETTE_RECORD'] = 'none';
    const before = [canary.connections(), canary.requests()];
    const outcome = await kinds[kind]!(targets).then(
      (status) => ({ status, code: undefined as string | undefined }),
      (error: unknown) => ({ status: 0, code: codeIn(error) }),
    );
    if (outcome.status !== 0) expect(outcome.status).toBe(400);
    else expect(outcome.code).toBe('LLM_CASSETTE_BLOCKED');
    await new Promise((r) => setTimeout(r, 50));
    expect([canary.connections(), canary.requests()]).toEqual(before);
  });

  test('the 400 carries the code and a message that names the request and the fix; the SDK shows it; stderr says it once', async () => {
    configure({ providerHosts: [new URL(canary.url).host] });
    process.env['LLM_CASSETTE_RECORD'] = 'none';
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    const res = await fetch(`${canary.url}/v1/chat/completions?key=AIzaSECRET-in-query`, { method: 'POST', body: '{}' });
    await fetch(`${canary.url}/v1/chat/completions?key=AIzaSECRET-in-query`, { method: 'POST', body: '{}' });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual(['LLM_CASSETTE_BLOCKED']);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-should-retry')).toBe('false');
    const body = (await res.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('LLM_CASSETTE_BLOCKED');
    expect(body.error.message).toMatch(/^cassettes: POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\?key=(?:%5BREDACTED%5D|\[REDACTED\]) was refused/);
    expect(body.error.message).toContain('mode:     none (from LLM_CASSETTE_RECORD)');
    expect(body.error.message).toContain('fix:      make the call inside withCassette');
    expect(body.error.message).not.toContain('AIzaSECRET');
    const sdk = await INTERCEPTED['openai']!(targets).catch((e: Error) => e.message);
    expect(sdk).toContain('cassettes: POST');
    expect(sdk).toContain('was refused');
  });

  test.each([
    ['none', 400],
    ['warn', 400],
    ['once', 200],
    ['new', 200],
    ['hybrid', 200],
  ])('mode %s: a provider host outside any cassette answers %i (replay-only is what the record-mode table says)', async (mode, status) => {
    configure({ providerHosts: [new URL(canary.url).host] });
    process.env['LLM_CASSETTE_RECORD'] = mode;
    expect(await INTERCEPTED['global fetch']!(targets)).toBe(status);
  });

  test('outside a replay-only run, and for hosts not on the list, requests outside cassettes pass', async () => {
    // (a 200 comes from the canary itself: the request reached it)
    configure({ providerHosts: [new URL(canary.url).host] });
    process.env['LLM_CASSETTE_RECORD'] = 'new';
    expect(await INTERCEPTED['global fetch']!(targets)).toBe(200);
    process.env['LLM_CASSETTE_RECORD'] = 'none';
    configure({ providerHosts: [] });
    expect(await INTERCEPTED['global fetch']!(targets)).toBe(200);
    configure({ providerHosts: ['elsewhere.example'] });
    expect(await INTERCEPTED['node:http']!(targets)).toBe(200);
  });

  test('the default list refuses api.openai.com in a CI run before any DNS lookup or socket', async () => {
    const ci = process.env['CI'];
    process.env['CI'] = 'true';
    try {
      expect(PROVIDER_HOSTS).toContain('api.openai.com');
      for (const url of ['https://api.openai.com/v1/models', 'https://API.OpenAI.com./v1/models', 'https://my-resource.openai.azure.com/openai/models']) {
        const res = await fetch(url);
        expect(res.status, url).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain('mode:     none (from the CI default)');
      }
    } finally {
      if (ci === undefined) delete process.env['CI'];
      else process.env['CI'] = ci;
    }
  });

  test('a global dispatcher the app set after cassettes loaded is still refused by the guard (and connects nowhere)', async () => {
    const { Agent, getGlobalDispatcher, setGlobalDispatcher } = await import('undici');
    const ours = getGlobalDispatcher();
    const agent = new Agent();
    setGlobalDispatcher(agent);
    try {
      configure({ providerHosts: [new URL(canary.url).host] });
      process.env['LLM_CASSETTE_RECORD'] = 'none';
      const before = [canary.connections(), canary.requests()];
      const error = await fetch(`${canary.url}/v1/chat/completions`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
      expect(codeIn(error)).toBe('LLM_CASSETTE_BLOCKED');
      await new Promise((r) => setTimeout(r, 50));
      expect([canary.connections(), canary.requests()]).toEqual(before);
    } finally {
      setGlobalDispatcher(ours);
      await agent.close();
    }
  });

  test('inside a mode-none cassette, a miss is refused and nothing connects either', async () => {
    const dir = dirOf();
    emptyCassette(dir, 'empty');
    const before = [canary.connections(), canary.requests()];
    for (const kind of Object.keys(INTERCEPTED)) {
      const error = await withCassette('empty', () => INTERCEPTED[kind]!(targets), { dir, mode: 'none' }).catch((e: unknown) => e);
      expect(isCassetteError(error) && error.code, kind).toBe('LLM_CASSETTE_NO_MATCH');
    }
    expect([canary.connections(), canary.requests()]).toEqual(before);
  });
});

describe('LLM_CASSETTE_DEBUG=1 and requests outside any cassette', () => {
  test('each is logged as "outside", with what happened and the client kind; secrets stay out (the flag is read as a cassette starts)', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    process.env['LLM_CASSETTE_DEBUG'] = '1';
    try {
      await withCassette('starts', async () => undefined, { dir: dirOf(), mode: 'passthrough' });
      await fetch(`${canary.url}/v1/x?key=AIzaSECRET-outside`).then((r) => r.text());
      await INTERCEPTED['node:http']!(targets);
    } finally {
      delete process.env['LLM_CASSETTE_DEBUG'];
      await withCassette('starts', async () => undefined, { dir: dirOf(), mode: 'passthrough' });
      spy.mockRestore();
    }
    const ours = lines.filter((l) => l.startsWith('cassettes: outside'));
    expect(ours).toEqual([
      expect.stringMatching(
        /^cassettes: outside GET http:\/\/127\.0\.0\.1:\d+\/v1\/x\?key=(?:%5BREDACTED%5D|\[REDACTED\]) \(passed through, fetch\/undici\)\n$/,
      ),
      expect.stringMatching(/^cassettes: outside POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(passed through, node:http\)\n$/),
    ]);
  });
});
