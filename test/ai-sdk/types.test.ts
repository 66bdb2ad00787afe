// toLanguageModel's models fit the AI SDK's own LanguageModelV4 / LanguageModelV3 (and what
// `ai` 7 and `ai` 6 accept as a model), and fromLanguageModel takes the real providers' models:
// test/ai-sdk/spec-types.ts says so in types, and this compiles it with the real packages.
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('the bridge type-checks against @ai-sdk/provider 4 and 3, ai 7 and ai 6', { timeout: 120_000 }, async () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'test/ai-sdk/tsconfig.types.json')], { cwd: root }).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, output: error.stdout ?? '' }),
  );
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
});
