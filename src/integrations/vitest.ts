import { fileURLToPath } from 'node:url';
import { parseMode, RECORD_FLAG_ENV, recordFlagFromArgv } from '../config.js';
import { encodePluginOptions, PLUGIN_OPTIONS_ENV, type SerializableOptions } from './plugin-options.js';

export { cassetteTest } from './vitest-fixture.js';
export type { CassetteFixture } from './vitest-fixture.js';

/** The slice of Vite's Plugin type we use, so vitest stays an optional peer. */
export interface LlmCassettePlugin {
  name: string;
  config(): { test: { setupFiles: string[]; env: Record<string, string> } };
}

/**
 * `plugins: [llmCassette()]` in vitest.config.ts. Installs interception in every worker before
 * test modules load, and hands `--record=<mode>` (given after `--`: `vitest run -- --record=new`)
 * from the main process to the workers.
 */
export function llmCassette(options: SerializableOptions = {}): LlmCassettePlugin {
  return {
    name: 'llm-cassette',
    config() {
      const env: Record<string, string> = { [PLUGIN_OPTIONS_ENV]: encodePluginOptions(options) };
      const flag = recordFlagFromArgv(process.argv) ?? process.env[RECORD_FLAG_ENV];
      if (flag) env[RECORD_FLAG_ENV] = parseMode(flag, '--record');
      return { test: { setupFiles: [setupFile()], env } };
    },
  };
}

function setupFile(): string {
  // @note resolved through the package's own exports: tsup splits shared code into chunks, so
  // a path relative to this module's URL would point at the wrong folder.
  const specifier = 'llm-cassette/vitest/setup';
  if (typeof import.meta.resolve === 'function') return fileURLToPath(import.meta.resolve(specifier));
  return require.resolve(specifier);
}
