export type { CassetteFixture, CassetteTestAPI } from '../integrations/vitest-fixture.js';
export { cassetteTest } from '../integrations/vitest-fixture.js';
export type { CassettesPlugin, PluginOptions } from '../integrations/vitest-plugin.js';
export { cassettes } from '../integrations/vitest-plugin.js';
