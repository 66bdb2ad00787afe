export { llmCassette } from './vitest-plugin.js';
export type { LlmCassettePlugin } from './vitest-plugin.js';
export { cassetteTest } from './vitest-fixture.js';
export type { CassetteFixture, CassetteTestAPI } from './vitest-fixture.js';
