export type { CassetteFixture, CassetteTestAPI } from './vitest-fixture.js';
export { cassetteTest } from './vitest-fixture.js';
export type { CassettesPlugin, PluginOptions } from './vitest-plugin.js';
export { cassettes } from './vitest-plugin.js';
