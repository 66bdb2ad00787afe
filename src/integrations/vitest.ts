export { cassettes } from './vitest-plugin.js';
export type { CassettesPlugin } from './vitest-plugin.js';
export { cassetteTest } from './vitest-fixture.js';
export type { CassetteFixture, CassetteTestAPI } from './vitest-fixture.js';
