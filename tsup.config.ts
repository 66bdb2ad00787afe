import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const entry = {
  index: 'src/index.ts',
  'vitest/index': 'src/integrations/vitest.ts',
  'jest/setup': 'src/integrations/jest-setup.ts',
  'jest/global-setup': 'src/integrations/jest-global-setup.ts',
  register: 'src/integrations/register.ts',
  'mock/index': 'src/mock/index.ts',
  'provider/index': 'src/protocol/index.ts',
  'conformance/index': 'src/conformance/index.ts',
  'conformance/jest': 'src/conformance/jest.ts',
};

// @note vitest's CommonJS entry throws when require()d, so these entries are ESM only.
const esmOnly = {
  'conformance/vitest': 'src/conformance/vitest.ts',
  'vitest/setup': 'src/integrations/vitest-setup.ts',
  'cli/bin': 'src/cli/bin.ts',
};

const peers = ['vitest', 'openai', '@anthropic-ai/sdk', '@google/genai'];

export default defineConfig([
  {
    entry: { ...entry, ...esmOnly },
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
    // @note Vite require()s 'cassettes/vitest' when it bundles a vitest.config.ts to CommonJS:
    // that build carries the plugin without the vitest-dependent fixture.
    entry: { ...entry, 'vitest/index': 'src/integrations/vitest-cjs.ts' },
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
