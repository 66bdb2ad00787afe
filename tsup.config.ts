import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const entry = {
  index: 'src/index.ts',
  'vitest/index': 'src/integrations/vitest.ts',
  'vitest/setup': 'src/integrations/vitest-setup.ts',
  'jest/setup': 'src/integrations/jest-setup.ts',
  'jest/global-setup': 'src/integrations/jest-global-setup.ts',
  'mock/index': 'src/mock/index.ts',
};

const peers = ['vitest', 'openai', '@anthropic-ai/sdk', '@google/genai'];

export default defineConfig([
  {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    splitting: true,
    define: { __LLM_CASSETTE_VERSION__: JSON.stringify(version) },
    external: peers,
  },
  {
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    splitting: true,
    define: { __LLM_CASSETTE_VERSION__: JSON.stringify(version) },
    // @note Jest's module registry cannot require() ESM-only packages, and
    // @mswjs/interceptors is ESM-only from 0.42 on: the CJS build carries its own copy.
    noExternal: [/^@mswjs\/interceptors/, 'rettime', '@open-draft/until', 'outvariant', 'is-node-process'],
    external: peers,
  },
]);
