import { CassetteError } from './errors.js';
import { hostMatcher, PROVIDER_HOSTS } from './intercept/provider-hosts.js';
import { registry } from './intercept/registry.js';
import { LIVE_MISS_MODES } from './record-mode.js';
import { rememberSecrets } from './redact/known-secrets.js';
import { type CassetteOptions, type ConfigureOptions, RECORD_MODES, type RecordMode, type TimingMode } from './types.js';

/** Set by the Vitest plugin and Jest global setup: the `--record=<mode>` seen by the main process. */
export const RECORD_FLAG_ENV = 'LLM_CASSETTE_RECORD_FLAG';
export const RECORD_ENV = 'LLM_CASSETTE_RECORD';
export const TIMING_ENV = 'LLM_CASSETTE_TIMING';
/** Under CI, a mode that sends misses to the network (hybrid) needs this set to 1 as well. */
export const ALLOW_LIVE_ENV = 'LLM_CASSETTE_ALLOW_LIVE';
/** Set by the Vitest plugin and Jest global setup: when the test run started (ms since the epoch). */
export const RUN_STARTED_ENV = 'LLM_CASSETTE_RUN_STARTED_AT';

// @note on the realm's global: the package's entry points (and Jest's per-file registries) may
// each carry a copy of this module, but configure() must reach them all.
const DEFAULTS = Symbol.for('cassettes.defaults');
const holder = globalThis as unknown as Record<symbol, CassetteOptions | undefined>;
const getStore = (): CassetteOptions => holder[DEFAULTS] ?? {};
const setStore = (value: CassetteOptions): void => {
  holder[DEFAULTS] = value;
};

/** Global defaults; per-call options override them. Returns the previous defaults. */
export function configure(options: ConfigureOptions): ConfigureOptions {
  const previous = getStore();
  if (options.mode !== undefined) parseMode(options.mode, 'configure({ mode })');
  if (options.timing !== undefined) validateTiming(options.timing, 'configure({ timing })');
  if (options.providerHosts !== undefined) validateHosts(options.providerHosts);
  setStore({ ...previous, ...options });
  // a message built outside any cassette (a blocked request) must already know the user's rules
  if (options.redact) rememberSecrets([], options.redact);
  // what concerns requests outside any cassette cannot wait for the next one: it goes to the
  // process-wide registry at once
  const reg = registry();
  if (options.blockNetwork !== undefined) reg.blockOutsideScopes = options.blockNetwork;
  if (options.providerHosts !== undefined) reg.providerHosts = hostMatcher(options.providerHosts);
  if (options.mode !== undefined) reg.configuredMode = options.mode;
  return previous;
}

export function resetConfiguration(): void {
  setStore({});
  const reg = registry();
  reg.blockOutsideScopes = false;
  reg.providerHosts = hostMatcher(PROVIDER_HOSTS);
  reg.configuredMode = undefined;
}

function validateHosts(hosts: unknown): void {
  if (Array.isArray(hosts) && hosts.every((h) => typeof h === 'string')) return;
  throw new CassetteError(
    'LLM_CASSETTE_OPTIONS',
    `cassettes: configure({ providerHosts }) takes an array of host names, got ${JSON.stringify(hosts)}\n` +
      `  fix:      e.g. providerHosts: [...PROVIDER_HOSTS, 'llm.internal.example'], or [] to refuse none`,
  );
}

export function getDefaults(): CassetteOptions {
  return getStore();
}

export function parseMode(value: string, source: string): RecordMode {
  if ((RECORD_MODES as readonly string[]).includes(value)) return value as RecordMode;
  throw new CassetteError(
    'LLM_CASSETTE_MODE',
    `cassettes: unknown record mode "${value}" from ${source}\n` +
      `  valid modes: ${RECORD_MODES.join(', ')}\n` +
      `  fix:        e.g. --record=new or ${RECORD_ENV}=none`,
  );
}

/** `--record=new` or `--record new` anywhere on the command line of this process. */
export function recordFlagFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--record=')) return arg.slice('--record='.length);
    if (arg === '--record' && i + 1 < argv.length) return argv[i + 1];
  }
  return undefined;
}

/**
 * Precedence, highest first: per-call option, `--record` flag, LLM_CASSETTE_RECORD,
 * configure() defaults, then `none` under CI and `once` elsewhere.
 */
export function resolveMode(perCall: RecordMode | undefined): RecordMode {
  const [mode, source] = modeAndSource(perCall);
  if (LIVE_MISS_MODES.includes(mode) && isCI() && process.env[ALLOW_LIVE_ENV] !== '1') {
    throw new CassetteError(
      'LLM_CASSETTE_MODE',
      `cassettes: mode ${mode} (from ${source}) sends unrecorded requests to the network, and CI is set\n` +
        `  a replay-only CI must never spend money by accident\n` +
        `  fix:        set ${ALLOW_LIVE_ENV}=1 as well if this CI job is meant to call providers`,
    );
  }
  return mode;
}

/**
 * The mode of the run — what a cassette gets when its call names none — and what set it, for
 * requests outside any cassette. `configured`: configure()'s mode as the process-wide registry
 * has it (this realm's store may not, under Jest).
 */
export function runMode(configured: RecordMode | undefined): [RecordMode, string] {
  return modeAndSource(undefined, configured);
}

function modeAndSource(perCall: RecordMode | undefined, configured = getStore().mode): [RecordMode, string] {
  if (perCall !== undefined) return [parseMode(perCall, 'the mode option'), 'the mode option'];
  const flag = process.env[RECORD_FLAG_ENV] || recordFlagFromArgv(process.argv);
  if (flag) return [parseMode(flag, '--record'), '--record'];
  const env = process.env[RECORD_ENV];
  if (env) return [parseMode(env, RECORD_ENV), RECORD_ENV];
  if (configured !== undefined) return [configured, 'configure()'];
  return isCI() ? ['none', 'the CI default'] : ['once', 'the default'];
}

export function isCI(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function validateTiming(timing: TimingMode, source: string): TimingMode {
  if (timing === 'instant' || timing === 'recorded') return timing;
  if (typeof timing === 'object' && timing !== null && typeof timing.speed === 'number' && timing.speed > 0 && Number.isFinite(timing.speed)) {
    return timing;
  }
  throw new CassetteError(
    'LLM_CASSETTE_OPTIONS',
    `cassettes: invalid timing ${JSON.stringify(timing)} from ${source}\n` +
      `  valid:      'instant', 'recorded' or { speed: n } with n > 0 (env: ${TIMING_ENV}=instant|recorded|<n>)`,
  );
}

/** Precedence: per-call option, LLM_CASSETTE_TIMING, configure() defaults, `instant`. */
export function resolveTiming(perCall: TimingMode | undefined): TimingMode {
  if (perCall !== undefined) return validateTiming(perCall, 'the timing option');
  const env = process.env[TIMING_ENV];
  if (env) {
    if (env === 'instant' || env === 'recorded') return env;
    const speed = Number(env);
    return validateTiming({ speed }, TIMING_ENV);
  }
  return getStore().timing ?? 'instant';
}

/** Per-call options over configured defaults; arrays and objects replace, they do not merge. */
export function mergeOptions(perCall: CassetteOptions | undefined): CassetteOptions {
  return { ...getStore(), ...(perCall ?? {}) };
}

/**
 * When the current test run started: the runner integration's start, or this process's. A
 * cassette whose recordings are all newer was created during this run (record-mode.ts).
 */
export function runStartedAt(): number {
  const fromRunner = Number(process.env[RUN_STARTED_ENV]);
  return Number.isFinite(fromRunner) && fromRunner > 0 ? fromRunner : Math.floor(performance.timeOrigin);
}
