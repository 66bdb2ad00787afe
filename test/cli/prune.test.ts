import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeCassette, encodeCassette } from '../../src/cassette/codec.js';
import { writeCassetteFile } from '../../src/cli/cassette-files.js';
import { verifyText } from '../../src/cli/verify-checks.js';
import type { RunReport } from '../../src/report/run-report.js';
import { runCli } from './support/cli.js';
import { calls, record } from './support/record.js';
import { runSuite } from './support/run-report.js';
import { startWireServer, type WireServer } from './support/wire-server.js';

let server: WireServer;

beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());

interface Suite {
  dir: string;
  shared: string;
  orphan: string;
  nested: string;
  report: RunReport;
  reportFile: string;
}

/**
 * Records three cassettes, then "runs the suite" in replay-only mode: two tests use `shared`
 * (one skips its second request), one uses `nested/kept`; `orphan` is opened by no test.
 */
async function suite(options: { filtered?: boolean } = {}): Promise<Suite> {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-prune-'));
  const { file: shared } = await record(dir, 'shared', async () => {
    await calls.chat(server.url, 'a');
    await calls.chat(server.url, 'b');
    await calls.chat(server.url, 'c', { stream: true });
    await calls.messages(server.url, 'd');
  });
  const { file: orphan } = await record(dir, 'orphan', () => calls.chat(server.url, 'nobody asks this'));
  const { file: nested } = await record(dir, 'nested/kept', () => calls.gemini(server.url, 'kept'));
  const reportFile = join(dir, '..', `${dir.split('/').at(-1)}-report.json`);
  const replay = (name: string, fn: () => Promise<unknown>) => record(dir, name, fn, { mode: 'none' });
  const report = await runSuite(
    async () => {
      await replay('shared', async () => {
        await calls.chat(server.url, 'a');
        await calls.chat(server.url, 'c', { stream: true });
      });
      await replay('shared', () => calls.chat(server.url, 'a'));
      await replay('nested/kept', () => calls.gemini(server.url, 'kept'));
    },
    { reportFile, ...options },
  );
  return { dir, shared, orphan, nested, report, reportFile };
}

function snapshot(files: string[]): string[] {
  return files.map((f) => (existsSync(f) ? `${readFileSync(f, 'utf8')}@${statSync(f).mtimeMs}` : 'gone'));
}

describe('cassettes prune', () => {
  test('--dry-run lists the unused interactions and the unopened file, and touches nothing', async () => {
    const s = await suite();
    expect(s.report.cassettes.find((c) => c.file === s.shared)?.unused).toEqual([1, 3]);
    const before = snapshot([s.shared, s.orphan, s.nested]);
    const run = await runCli(['prune', '--report', s.reportFile, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `would remove 2 of 4 interactions from ${s.shared}`,
        `  #1 POST ${server.url}/v1/chat/completions`,
        `  #3 POST ${server.url}/v1/messages`,
        `would delete ${s.orphan} (no test opened it)`,
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('cassettes prune: dry run, would remove 2 interactions from 1 cassette and 1 file; nothing changed\n');
    expect(snapshot([s.shared, s.orphan, s.nested])).toEqual(before);
  });

  test('prune removes them: the file stays canonical, keeps the used interactions in order, and still replays', async () => {
    const s = await suite();
    const original = decodeCassette(readFileSync(s.shared, 'utf8'), s.shared).interactions;
    const nestedBefore = snapshot([s.nested]);
    const run = await runCli(['prune'], { env: { LLM_CASSETTE_REPORT: s.reportFile } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('cassettes prune: removed 2 interactions from 1 cassette and 1 file\n');
    expect(existsSync(s.orphan)).toBe(false);
    expect(snapshot([s.nested])).toEqual(nestedBefore);
    const text = readFileSync(s.shared, 'utf8');
    expect(decodeCassette(text, s.shared).interactions).toEqual([original[0], original[2]]);
    expect((await runCli(['verify', s.dir])).code).toBe(0);
    const again = await record(
      s.dir,
      'shared',
      async () => {
        await calls.chat(server.url, 'a');
        await calls.chat(server.url, 'c', { stream: true });
      },
      { mode: 'none' },
    );
    expect(again.report).toMatchObject({ replayed: 2, refused: 0, unused: [] });
    const second = await runCli(['prune', '--report', s.reportFile]);
    expect(second.stdout).toContain('the file changed after the run ended');
  });

  test('with no --report, the report the runners write by default is read (node_modules/.cache/cassettes/run-report.json)', async () => {
    const s = await suite();
    const project = join(s.dir, '..', `${s.dir.split('/').at(-1)}-project`);
    mkdirSync(join(project, 'node_modules/.cache/cassettes'), { recursive: true });
    cpSync(s.reportFile, join(project, 'node_modules/.cache/cassettes/run-report.json'));
    const run = await runCli(['prune', '--dry-run'], { cwd: project });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`would remove 2 of 4 interactions from ${s.shared}`);
  });

  test('a report from a filtered run is refused and nothing changes', async () => {
    const s = await suite({ filtered: true });
    const before = snapshot([s.shared, s.orphan]);
    const run = await runCli(['prune', '--report', s.reportFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cassettes: ${s.reportFile} comes from a filtered run`);
    expect(run.stderr).toContain('fix: run the whole suite');
    expect(snapshot([s.shared, s.orphan])).toEqual(before);
  });

  test('files the report cannot speak for are left alone, each with its reason', async () => {
    const s = await suite();
    const extra = join(s.dir, 'new-after-run.yaml');
    writeFileSync(extra, readFileSync(s.orphan, 'utf8'));
    const future = new Date(Date.now() + 60_000);
    utimesSync(extra, future, future);
    const report: RunReport = {
      ...s.report,
      cassettes: [
        ...s.report.cassettes.map((c) => (c.file === s.shared ? { ...c, refused: 1 } : c)),
        { ...s.report.cassettes[0]!, file: s.orphan, unused: [7], refused: 0 },
      ],
    };
    writeFileSync(s.reportFile, JSON.stringify(report));
    const before = snapshot([s.shared, s.orphan, extra]);
    const run = await runCli(['prune', '--report', s.reportFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `left alone ${s.orphan}: the report names interaction #7 but the file has 1: it changed since the run`,
        `left alone ${s.shared}: 1 request was refused here (a test failed): what it did not use may still be needed`,
        `left alone ${extra}: no test opened it, but it changed after the run ended`,
        '',
      ].join('\n'),
    );
    expect(snapshot([s.shared, s.orphan, extra])).toEqual(before);
  });

  test('bad input: no report, a missing report (exit 2), a report that is not one, a cassette that is not one (exit 1)', async () => {
    const none = await runCli(['prune'], { cwd: tmpdir() });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'cassettes prune: no run report at node_modules/.cache/cassettes/run-report.json: run the whole suite first, or name one with --report <file>\n  see: cassettes prune --help\n',
    );
    const missing = await runCli(['prune', '--report', '/nonexistent/report.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such run report: /nonexistent/report.json');
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-prune-'));
    const bad = join(dir, 'report.json');
    writeFileSync(bad, JSON.stringify({ version: 1, runner: 'vitest' }));
    const invalid = await runCli(['prune', '--report', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^cassettes: .*report\.json is not a run report: startedAt must be an ISO date\n {2}fix: /);
    const s = await suite();
    writeFileSync(s.shared, 'version: 1\ninteractions: [\n');
    const past = new Date(Date.parse(s.report.startedAt) - 1000);
    utimesSync(s.shared, past, past);
    const corrupt = await runCli(['prune', '--report', s.reportFile]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/cannot read cassette .*shared\.yaml/);
    expect(existsSync(s.orphan)).toBe(true);
    for (const run of [none, missing, invalid, corrupt]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('property: removing any set of interactions by index leaves a canonical file with the others in order (bounded run)', async () => {
    const s = await suite();
    const text = readFileSync(s.shared, 'utf8');
    const data = decodeCassette(text, s.shared);
    const out = join(s.dir, 'property');
    mkdirSync(out);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.subarray([0, 1, 2, 3]), async (remove) => {
        const file = join(out, `${runs++}.yaml`);
        const kept = data.interactions.filter((_, i) => !remove.includes(i));
        await writeCassetteFile(file, { ...data, interactions: kept });
        const written = readFileSync(file, 'utf8');
        const check = verifyText(file, written, { known: [], allow: [], now: Date.now() });
        expect(check.findings).toEqual([]);
        expect(check.canonical).toBe(true);
        expect(decodeCassette(written, file).interactions).toEqual(kept);
        expect(written).toBe(encodeCassette({ ...data, interactions: kept }));
      }),
      { numRuns: 40 },
    );
  });
});
