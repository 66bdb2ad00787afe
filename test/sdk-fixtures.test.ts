/**
 * Every real fixture exchange, made the way an app would with the real SDK: recorded live through
 * the local fixture server into a temp cassette, then replayed with a NEW client against the
 * closed server (a network attempt would fail). What the app saw must be identical.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type CassetteReport, cassetteFile, withCassette } from '../src/index.js';
import { startFixtureServer } from './support/fixture-server.js';
import { type FixtureExchange, type FixtureFile, fixturesAvailable, loadFixtures } from './support/fixtures.js';
import { API_KEYS, type CallSpec, callKindOf, runCall, specOf } from './support/sdk-calls.js';

const available = fixturesAvailable();
if (!available) console.warn('sdk-fixtures: SKIPPED — ../shared/fixtures/real not found, no SDK record/replay coverage');
const suite = available ? describe : describe.skip;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files: FixtureFile[] = available ? loadFixtures() : [];
const exchanges: FixtureExchange[] = files.flatMap((f) => f.exchanges);
const dir = mkdtempSync(join(tmpdir(), 'llmc-sdk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = { dir, normalizeOrigin: true } as const;

interface Cassette {
  interactions: {
    request: { url: string; headers: Record<string, string> };
    response?: { status: number; chunks?: unknown[]; body?: unknown };
    error?: unknown;
  }[];
}

function readCassette(name: string): { text: string; data: Cassette } {
  const text = readFileSync(cassetteFile(name, dir), 'utf8');
  return { text, data: parseYaml(text) as Cassette };
}

function expectNoSecrets(text: string): void {
  for (const key of Object.values(API_KEYS)) expect(text).not.toContain(key);
}

/** Records `specs` in sequence into cassette `name` through a fresh fixture server; returns live results and the closed URL. */
async function recordLive(name: string, exchangesToServe: FixtureExchange[]): Promise<{ live: unknown[]; url: string; report: CassetteReport }> {
  const server = await startFixtureServer({ gapMs: 1, ttfbMs: 1 });
  server.enqueue(...exchangesToServe);
  let report: CassetteReport | undefined;
  try {
    const live = await withCassette(
      name,
      async () => {
        const out: unknown[] = [];
        for (const e of exchangesToServe) out.push(await runCall(specOf(e), { baseUrl: server.url }));
        return out;
      },
      { ...OPTIONS, mode: 'once', onReport: (r) => (report = r) },
    );
    expect(server.received).toHaveLength(exchangesToServe.length);
    return { live, url: server.url, report: report! };
  } finally {
    await server.close();
  }
}

async function replay(name: string, specs: CallSpec[], url: string): Promise<{ replayed: unknown[]; report: CassetteReport }> {
  let report: CassetteReport | undefined;
  const replayed = await withCassette(
    name,
    async () => {
      const out: unknown[] = [];
      for (const spec of specs) out.push(await runCall(spec, { baseUrl: url }));
      return out;
    },
    { ...OPTIONS, mode: 'none', onReport: (r) => (report = r) },
  );
  return { replayed, report: report! };
}

/** The live result must show the app really got the fixture's answer (not a cassette error). */
function expectLiveLooksRight(e: FixtureExchange, live: unknown): void {
  const text = JSON.stringify(live);
  expect(text).not.toContain('llm_cassette');
  expect(text).not.toContain('fixture server: nothing enqueued');
  const kind = callKindOf(specOf(e));
  const result = live as { error?: { status: number | null }; status?: number; events?: unknown[]; final?: unknown };
  if (kind === 'fetch') {
    expect(result.status).toBe(e.response.status);
    return;
  }
  if (e.response.status >= 400) {
    expect(result.error?.status, `${e.id} should surface the recorded HTTP error`).toBe(e.response.status);
    return;
  }
  // Responses objects carry `error: null` themselves; our wrapper's error is an object.
  expect(result.error ?? null, `${e.id} failed live: ${JSON.stringify(result.error)}`).toBeNull();
  const body = e.response.body.toString('utf8');
  if (!kind.endsWith('-stream')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    // openai and anthropic hand the parsed body through unchanged; genai rebuilds a class instance.
    if (e.provider === 'gemini') {
      const { usageMetadata: _u, ...rest } = parsed;
      expect(live, e.id).toMatchObject(rest);
    } else if (kind === 'openai-responses') {
      // the SDK adds the `output_text` convenience field
      expect(live, e.id).toEqual({ ...parsed, output_text: expect.any(String) });
    } else expect(live, e.id).toEqual(parsed);
    return;
  }
  const payloads = body
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as { type?: string })
    // anthropic's MessageStream swallows keep-alive pings
    .filter((payload) => !(e.provider === 'anthropic' && payload.type === 'ping'));
  expect(payloads.length, e.id).toBeGreaterThan(0);
  expect(result.events?.length, e.id).toBe(payloads.length);
  if (kind !== 'gemini-stream') expect(result.final, e.id).toBeTruthy();
}

suite('SDK record → replay for every real fixture exchange', () => {
  test('covers all 61 exchanges of 44 files', () => {
    expect(files).toHaveLength(44);
    expect(exchanges).toHaveLength(61);
  });

  describe.each(exchanges.map((e) => [e.id, e] as const))('%s', (id, e) => {
    test(`${callKindOf(specOf(e))}: replay equals live, no key on disk`, async () => {
      const name = `one/${id}`;
      const { live, url, report: recordReport } = await recordLive(name, [e]);
      expect(recordReport).toMatchObject({ recorded: 1, written: true });
      expectLiveLooksRight(e, live[0]);

      const { text, data } = readCassette(name);
      expectNoSecrets(text);
      expect(data.interactions).toHaveLength(1);
      expect(data.interactions[0]?.response?.status).toBe(e.response.status);
      if (e.response.streamed && e.response.status < 300) expect(data.interactions[0]?.response?.chunks?.length).toBeGreaterThan(0);

      const { replayed, report } = await replay(name, [specOf(e)], url);
      expect(report).toMatchObject({ replayed: 1, recorded: 0, refused: 0, unused: [] });
      expect(replayed).toEqual(live);
    });
  });

  const multi = files.filter((f) => f.exchanges.length > 1);
  test.each(multi.map((f) => [f.file, f] as const))('whole file %s in one cassette, in sequence', async (file, f) => {
    const name = `file/${file}`;
    const { live, url } = await recordLive(name, f.exchanges);
    for (const [i, result] of live.entries()) expectLiveLooksRight(f.exchanges[i]!, result);
    const { text, data } = readCassette(name);
    expectNoSecrets(text);
    expect(data.interactions.map((i) => i.response?.status)).toEqual(f.exchanges.map((x) => x.response.status));

    const { replayed, report } = await replay(name, f.exchanges.map(specOf), url);
    expect(report).toMatchObject({ replayed: f.exchanges.length, refused: 0, unused: [] });
    expect(replayed).toEqual(live);
  });

  test('a changed request is refused in mode none (the replay really matches on the request)', async () => {
    const e = exchanges.find((x) => x.id === 'openai/chat-nonstream-simple#0')!;
    const name = 'refuse/openai-simple';
    const { url } = await recordLive(name, [e]);
    const spec = specOf(e);
    const changed: CallSpec = { ...spec, bodyJson: { ...(spec.bodyJson as object), model: 'gpt-other' } };
    await expect(replay(name, [changed], url)).rejects.toMatchObject({ code: 'LLM_CASSETTE_NO_MATCH' });
  });

  describe('fresh process', () => {
    const CHILD_IDS = [
      'openai/chat-nonstream-simple#0',
      'openai/chat-stream-tools-ratelimit#1',
      'openai/responses-stream-ratelimit#0',
      'anthropic/messages-nonstream-tool-use#0',
      'anthropic/messages-stream-thinking-gzip-ratelimit#0',
      'anthropic/error-404-not-found#0',
      'gemini/generate-content#0',
      'gemini/stream-sse-text#0',
      'gemini/stream-json-array-thinking-gzip#0',
    ];
    const childSupported = Number(process.versions.node.split('.')[0]) >= 23;
    const built = existsSync(join(ROOT, 'dist/index.js'));
    if (!childSupported || !built) {
      console.warn(
        `sdk-fixtures: fresh-process replay SKIPPED (${!built ? 'dist/ missing: run `npm run build` (npm test does)' : `node ${process.versions.node} cannot strip types`})`,
      );
    }

    test.skipIf(!childSupported || !built)(
      'replays a handful of cassettes in a new Node process via the built package',
      async () => {
        const chosen = CHILD_IDS.map((id) => {
          const found = exchanges.find((x) => x.id === id);
          if (!found) throw new Error(`fixture exchange not found: ${id}`);
          return found;
        });
        const recorded: { name: string; spec: CallSpec; live: unknown }[] = [];
        let url = '';
        for (const e of chosen) {
          const name = `child/${e.id}`;
          const result = await recordLive(name, [e]);
          url = result.url;
          expectLiveLooksRight(e, result.live[0]);
          recorded.push({ name, spec: specOf(e), live: result.live[0] });
        }
        const input = join(dir, 'child-input.json');
        writeFileSync(input, JSON.stringify({ dir, baseUrl: url, calls: recorded.map(({ name, spec }) => ({ name, spec })) }));

        const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'test/support/replay-child.ts'), input], {
          cwd: ROOT,
          timeout: 60_000,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        });
        const output = JSON.parse(stdout) as { node: string; results: { name: string; result: unknown; report: CassetteReport }[] };
        expect(output.node).toBe(process.versions.node);
        expect(output.results.map((r) => r.name)).toEqual(recorded.map((r) => r.name));
        for (const [i, r] of output.results.entries()) {
          expect(r.report, r.name).toMatchObject({ replayed: 1, recorded: 0, refused: 0 });
          expect(r.result, r.name).toEqual(recorded[i]!.live);
        }
      },
      90_000,
    );
  });
});
