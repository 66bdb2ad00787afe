// The conformance report: `npm run conformance:report` runs the suite against the mock and the
// three adapters (replaying __cassettes__/conformance/) in a real Vitest run, with its two test
// files in two workers, and the matrix they write together must be the one in docs/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { childEnv, runNode } from '../e2e/support/run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'cassettes-conformance-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('docs/conformance.md and .json are exactly what `npm run conformance:report` writes, merged over both test files', { timeout: 120_000 }, async () => {
  const run = await runNode([join(root, 'scripts/conformance-report.mjs'), dir], root, childEnv({}), 110_000);
  expect(run.code, run.output).toBe(0);
  const markdown = readFileSync(join(dir, 'conformance.md'), 'utf8');
  const json = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as {
    providers: string[];
    checks: string[];
    results: Record<string, Record<string, { status: string }>>;
  };
  // one file gave the mocks, the other the adapters: the matrix has both
  expect(json.providers).toEqual(
    expect.arrayContaining([
      'mock',
      'MockLLMProvider',
      'openaiProvider (chat), replayed',
      'openaiProvider (responses), replayed',
      'anthropicProvider, replayed',
      'geminiProvider, replayed',
    ]),
  );
  for (const provider of json.providers) {
    expect(Object.keys(json.results[provider] ?? {}).sort()).toEqual([...json.checks].sort());
    expect(Object.values(json.results[provider] ?? {}).filter((r) => r.status === 'fail')).toEqual([]);
  }
  for (const adapter of ['openaiProvider (chat), replayed', 'anthropicProvider, replayed', 'geminiProvider, replayed']) {
    expect(Object.values(json.results[adapter]!).every((r) => r.status === 'pass')).toBe(true);
  }
  const committed = readFileSync(join(root, 'docs/conformance.md'), 'utf8');
  expect(markdown, 'docs/conformance.md is out of date: run `npm run conformance:report`').toBe(committed);
  expect(readFileSync(join(dir, 'conformance.json'), 'utf8')).toBe(readFileSync(join(root, 'docs/conformance.json'), 'utf8'));
});
