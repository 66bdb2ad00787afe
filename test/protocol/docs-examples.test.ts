// Every example docs/provider.md marks as runnable (`<!-- runnable -->` before the code block)
// runs as it is: bundled with the package's own sources standing in for `cassettes/*`, run by
// Node in a fresh process in an empty directory, with no key and no network.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, test } from 'vitest';
import { childEnv, runNode } from '../e2e/support/run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/provider.md'), 'utf8');
const examples = [...doc.matchAll(/<!-- runnable -->\n```ts\n([\s\S]*?)\n```/g)].map((match, i) => ({
  index: i,
  line: doc.slice(0, match.index).split('\n').length + 2,
  code: match[1] as string,
}));

// @note bundles live under node_modules/.cache so that their bare imports (openai, ai, zod…)
// resolve from this repository's node_modules
const out = join(root, 'node_modules/.cache/cassettes-docs-examples');
const cwd = mkdtempSync(join(tmpdir(), 'cassettes-docs-'));
mkdirSync(out, { recursive: true });
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const ENTRIES: Record<string, string> = {
  cassettes: 'src/index.ts',
  'cassettes/provider': 'src/entries/provider.ts',
  'cassettes/mock': 'src/entries/mock.ts',
  'cassettes/ai-sdk': 'src/entries/ai-sdk.ts',
  'cassettes/conformance': 'src/entries/conformance.ts',
};

describe('docs/provider.md', () => {
  test('has runnable examples of each method and wrapper', () => {
    const all = examples.map((e) => e.code).join('\n');
    for (const name of [
      '.generate(',
      '.generateStructured(',
      '.isAvailable()',
      '.tokenUsage',
      '.rateLimit',
      'withProtocol(',
      'withRetry(',
      'withFallback(',
      'withCircuitBreaker(',
      'withMockLLM(',
      'toLanguageModel(',
      'fromLanguageModel(',
      'MockLLMProvider.fixed(',
      'MockLLMProvider.sequence(',
      'MockLLMProvider.echo(',
      'MockLLMProvider.failing(',
      'MockLLMProvider.toolCalling(',
      'MockLLMProvider.slow(',
    ]) {
      expect(all, name).toContain(name);
    }
  });

  test.each(examples)('the runnable example at line $line runs', { timeout: 60_000 }, async ({ index, code }) => {
    const file = join(out, `example-${index}.mjs`);
    await build({
      stdin: { contents: code, loader: 'ts', resolveDir: root, sourcefile: `docs/provider.md#example-${index}.ts` },
      outfile: file,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
      alias: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(root, path)])),
      define: { __LLM_CASSETTE_VERSION__: '"0.0.0-docs"' },
      logLevel: 'silent',
    });
    const run = await runNode([file], cwd, childEnv({}), 50_000);
    expect(run.code, run.output).toBe(0);
  });
});
