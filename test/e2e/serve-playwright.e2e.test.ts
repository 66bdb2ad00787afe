/**
 * Playwright driving Debian's Chromium against a small chat page whose server streams the
 * model's answer, through `cassettes/playwright` and a `cassettes serve` started in the global
 * setup (the PACKED package): 4 tests in 2 parallel workers, a cassette each, recorded, then
 * replayed with the provider gone; once with an app server per worker, once with one shared app
 * server that learns the session through `cassettes/propagate`.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../support/local-server.js';
import { createProject, packPackage } from './support/packed.js';
import { cassetteNames, childEnv, type RunResult, runNode, snapshotCassettes } from './support/run.js';
import { startStreamProvider } from './support/stream-provider.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`[cassettes] Playwright e2e: skipped, no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium; or set CHROMIUM_PATH)`);

const QUESTIONS = ['the first question', 'the second question', 'the third question', 'the fourth question'];

let project: string;
const providers: LocalServer[] = [];

beforeAll(async () => {
  if (!available) return;
  const tarball = await packPackage();
  project = createProject(tarball, ['openai', '@playwright/test']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(resolve(HERE, 'projects/serve'), project, { recursive: true });
  cpSync(resolve(HERE, 'projects/playwright'), project, { recursive: true });
}, 120_000);

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  if (project) rmSync(project, { recursive: true, force: true });
});

interface Suite {
  specs: { title: string; tests: { results: { status: string; attachments: { name: string; body?: string }[] }[] }[] }[];
  suites?: Suite[];
}
interface Report {
  suites: Suite[];
}

function playwright(env: Record<string, string | undefined>): Promise<RunResult> {
  rmSync(join(project, 'results.json'), { force: true });
  return runNode([join(project, 'node_modules/@playwright/test/cli.js'), 'test'], project, childEnv({ CHROMIUM_PATH: CHROMIUM, ...env }), 120_000);
}

/** Each test's result, by title, from the JSON reporter. */
function results(): Map<string, { status: string; attachments: { name: string; body?: string }[] }> {
  const report = JSON.parse(readFileSync(join(project, 'results.json'), 'utf8')) as Report;
  const out = new Map<string, { status: string; attachments: { name: string; body?: string }[] }>();
  const walk = (suite: Suite): void => {
    for (const spec of suite.specs) out.set(spec.title, spec.tests[0]!.results[0]!);
    for (const inner of suite.suites ?? []) walk(inner);
  };
  for (const suite of report.suites) walk(suite);
  return out;
}

const promptsOf = (text: string): string[] => [...text.matchAll(/content: (the \w+ question)/g)].map((m) => m[1]!);

describe.skipIf(!available).each(['worker', 'shared'] as const)('playwright, %s app server', (scenario) => {
  const dir = `__cassettes__/${scenario}`;

  test('4 tests in 2 workers record a cassette each, then replay them with the provider gone', { timeout: 240_000 }, async () => {
    // @note gaps this wide keep "the page read the answer in pieces" true on a loaded CI machine: at
    // 40–70 ms a busy Chromium once read all four pieces in one go
    const provider = await startStreamProvider({ minGapMs: 200, maxGapMs: 300, extraEvents: 3 });
    providers.push(provider);
    const env = { SCENARIO: scenario, CASSETTE_DIR: dir, E2E_PROVIDER_URL: provider.url };

    const recording = await playwright(env);
    expect(recording.code, recording.output).toBe(0);
    expect(recording.output).toMatch(/4 passed/);
    expect(recording.output).toContain('using 2 workers');
    expect(provider.seen).toHaveLength(4);
    const files = cassetteNames(project).filter((f) => f.startsWith(`${scenario}/`));
    expect(files).toEqual(QUESTIONS.map((q) => `${scenario}/tests/chat.spec/answers ${q}.yaml`).sort());
    const recorded = snapshotCassettes(project);
    for (const q of QUESTIONS) expect(promptsOf(recorded.get(`${scenario}/tests/chat.spec/answers ${q}.yaml`)!)).toEqual([q]);
    await provider.close();

    // replay: CI makes the server's default mode none; one extra test asks what was never recorded
    const replay = await playwright({ ...env, CI: 'true', E2E_EXTRA_MISS: '1' });
    expect(replay.output).toMatch(/4 passed/);
    expect(replay.output).toMatch(/1 failed/);
    const byTitle = results();
    for (const q of QUESTIONS) expect(byTitle.get(`answers ${q}`)?.status, replay.output).toBe('passed');
    // the miss failed its test, with the in-process miss message (and its diff) attached
    const miss = byTitle.get('asks what it never recorded')!;
    expect(miss.status).toBe('failed');
    const attached = Buffer.from(miss.attachments.find((a) => a.name === 'cassettes')?.body ?? '', 'base64').toString();
    expect(attached).toContain('no recorded interaction matches POST');
    expect(attached).toContain('"the first question" → "the fifth question"');
    expect(snapshotCassettes(project)).toEqual(recorded);
  });
});
