import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const entry = {
  index: 'src/index.ts',
  'vitest/index': 'src/entries/vitest.ts',
  'jest/setup': 'src/entries/jest-setup.ts',
  'jest/global-setup': 'src/entries/jest-global-setup.ts',
  register: 'src/entries/register.ts',
  'mock/index': 'src/entries/mock.ts',
  'provider/index': 'src/entries/provider.ts',
  'conformance/index': 'src/entries/conformance.ts',
  'conformance/jest': 'src/entries/conformance-jest.ts',
  'ai-sdk/index': 'src/entries/ai-sdk.ts',
  'serve/index': 'src/entries/serve.ts',
  'playwright/index': 'src/entries/playwright.ts',
  'propagate/index': 'src/entries/propagate.ts',
};

// @note vitest's CommonJS entry throws when require()d, so these entries are ESM only.
const esmOnly = {
  'conformance/vitest': 'src/entries/conformance-vitest.ts',
  'vitest/setup': 'src/entries/vitest-setup.ts',
  'cli/bin': 'src/entries/cli.ts',
};

const peers = ['vitest', 'openai', '@anthropic-ai/sdk', '@google/genai', 'ajv', '@playwright/test', 'playwright-core'];

export default defineConfig([
  {
    entry: { ...entry, ...esmOnly },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    // @note dist/ is emptied by scripts/clean-dist.mjs: tsup's `clean` races between the two configs
    clean: false,
    target: 'node22',
    platform: 'node',
    splitting: true,
    define: { __LLM_CASSETTE_VERSION__: JSON.stringify(version) },
    external: peers,
  },
  {
    // @note Vite require()s 'cassettes/vitest' when it bundles a vitest.config.ts to CommonJS:
    // that build carries the plugin without the vitest-dependent fixture.
    entry: { ...entry, 'vitest/index': 'src/entries/vitest-cjs.ts' },
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    splitting: true,
    define: { __LLM_CASSETTE_VERSION__: JSON.stringify(version) },
    external: peers,
    // @note shims give the CommonJS build an import.meta.url (vitest-setup resolution, jest/setup).
    shims: true,
  },
]);
