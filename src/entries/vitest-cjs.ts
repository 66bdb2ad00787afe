import type { CassetteTestAPI } from '../integrations/vitest-fixture.js';

export type { CassetteFixture, CassetteTestAPI } from '../integrations/vitest-fixture.js';
export type { CassettesPlugin, PluginOptions } from '../integrations/vitest-plugin.js';
/**
 * `require('cassettes/vitest')`: what Vite loads when it bundles a vitest.config.ts to CommonJS
 * (a package without "type": "module"). vitest itself throws when require()d, so this build has
 * the plugin only; test files are ES modules under Vitest and get the full entry.
 */
export { cassettes } from '../integrations/vitest-plugin.js';

function esmOnly(): never {
  throw new Error(
    "cassettes: cassetteTest needs the ES module build of 'cassettes/vitest' (vitest cannot be require()d)\n" +
      "  fix: import { cassetteTest } from 'cassettes/vitest' in the test file, which Vitest runs as an ES module",
  );
}

// @note symbol and `then` lookups (interop helpers, inspection, await) must not throw.
export const cassetteTest: CassetteTestAPI = new Proxy(esmOnly as unknown as CassetteTestAPI, {
  apply: esmOnly,
  get: (_target, key) => (typeof key === 'symbol' || key === 'then' ? undefined : esmOnly()),
});
