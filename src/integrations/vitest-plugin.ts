import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RECORD_FLAG_ENV, RUN_STARTED_ENV } from '../config.js';
import { PLACEHOLDER_KEYS_ENV } from '../placeholder-keys.js';
import { RUN_DIR_ENV, readRunLog, startRunLog } from '../report/run-log.js';
import { finishRun } from '../report/run-summary.js';
import { encodePluginOptions, PLUGIN_OPTIONS_ENV, type SerializableOptions } from './plugin-options.js';
import { recordFlagForWorkers } from './record-flag.js';

/** The slice of Vitest's config that the plugin touches. */
interface ConfigLike {
  test?: { setupFiles?: string | string[] | undefined; env?: Record<string, string | undefined> | undefined } | undefined;
}

/** The slice of Vitest that the plugin reads at the end of a run. */
interface VitestLike {
  config: { testNamePattern?: RegExp | undefined; shard?: unknown; changed?: unknown; related?: unknown; tagsFilter?: unknown };
  state: { getFiles(): { containsOnly?: boolean | undefined }[] };
  isCancelling?: boolean;
  globTestSpecifications(): Promise<unknown[]>;
  onClose(fn: () => unknown): void;
}

/** The slice of Vite's Plugin type we use, so neither vite nor vitest is needed to load this. */
export interface CassettesPlugin {
  name: string;
  config(config: ConfigLike): void;
  configureVitest(context: { vitest: VitestLike }): void;
}

/** The plugin's options: cassette defaults for every worker (JSON-able), and run-level switches. */
export type PluginOptions = SerializableOptions & {
  /** In a replay-only run, put placeholders into unset OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY. Default true. */
  placeholderKeys?: boolean;
  /** The run's JSON report (read by `cassettes prune`): a path, or false for none. Default: LLM_CASSETTE_REPORT, else node_modules/.cache/cassettes/run-report.json. */
  report?: string | false;
  /** The summary printed at the end of a run; false: none (or LLM_CASSETTE_SUMMARY=0). Default true. */
  summary?: boolean;
};

/**
 * `plugins: [cassettes()]` in vitest.config.ts. Installs interception in every worker before
 * test modules load, hands `--record=<mode>` (given after `--`: `vitest run -- --record=new`)
 * and these options from the main process to the workers, and at the end of the run prints a
 * summary and writes the run report.
 */
export function cassettes(pluginOptions: PluginOptions = {}): CassettesPlugin {
  const { placeholderKeys, report, summary, ...options } = pluginOptions;
  const startedAt = Date.now();
  let runLog: string | undefined;
  return {
    name: 'cassettes',
    configureVitest({ vitest }) {
      vitest.onClose(async () => {
        if (!runLog) return;
        const { sessions } = readRunLog(runLog);
        runLog = undefined;
        const all = (await vitest.globTestSpecifications().catch(() => [])).length;
        finishRun(sessions, { runner: 'vitest', startedAt, filtered: partialRun(vitest, all), report, summary });
      });
    },
    config(config) {
      runLog ??= startRunLog({});
      // @note the run's start lets `once` keep recording into a cassette that another test of the
      // same run created (record-mode.ts); a watch-mode rerun keeps the first run's start.
      const env: Record<string, string> = {
        [PLUGIN_OPTIONS_ENV]: encodePluginOptions(options),
        [RUN_STARTED_ENV]: process.env[RUN_STARTED_ENV] ?? String(startedAt),
        [RUN_DIR_ENV]: runLog,
      };
      if (placeholderKeys === false) env[PLACEHOLDER_KEYS_ENV] = '0';
      const mode = recordFlagForWorkers();
      if (mode) env[RECORD_FLAG_ENV] = mode;
      const test = (config.test ??= {});
      const own = setupFile();
      const existing = test.setupFiles === undefined ? [] : Array.isArray(test.setupFiles) ? test.setupFiles : [test.setupFiles];
      // first, so the user's own setup files can already call configure() and withCassette
      test.setupFiles = [own, ...existing.filter((file) => file !== own)];
      test.env = { ...test.env, ...env };
    },
  };
}

/**
 * Whether the run left tests out, so its report cannot say what the suite uses: a file or name
 * filter, a shard, changed/related files, a tags filter, a cancelled run, or `.only` in any file.
 * @note the same signals as Vitest's own "partial run" check (cli-api, isPartialRun): `.only`
 * survives collection only as a file's `containsOnly`, the tests it marks turn back into "run".
 */
export function partialRun(vitest: Pick<VitestLike, 'config' | 'state' | 'isCancelling'>, all: number): boolean {
  const { testNamePattern, shard, changed, related, tagsFilter } = vitest.config;
  const files = vitest.state.getFiles();
  return (
    testNamePattern !== undefined ||
    !!shard ||
    !!changed ||
    (Array.isArray(related) ? related.length > 0 : !!related) ||
    (Array.isArray(tagsFilter) ? tagsFilter.length > 0 : !!tagsFilter) ||
    !!vitest.isCancelling ||
    files.length < all ||
    files.some((file) => file.containsOnly === true)
  );
}

/**
 * The ES module setup file (vitest cannot be require()d, so never the .cjs one), found through
 * the package's own exports map: tsup moves shared code into chunks, so a path relative to this
 * module could point at the wrong folder, and `import.meta.resolve` does not exist in the CJS
 * build that Vite uses to load a vitest.config.ts outside a "type": "module" package.
 */
function setupFile(): string {
  const manifestPath = createRequire(import.meta.url).resolve('cassettes/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, unknown> };
  const entry = manifest.exports['./vitest/setup'];
  const target =
    typeof entry === 'string'
      ? entry
      : ((entry as { import?: string; default?: string } | undefined)?.import ?? (entry as { default?: string } | undefined)?.default);
  if (!target) throw new Error('cassettes: package.json has no "./vitest/setup" export');
  return join(dirname(manifestPath), target);
}
