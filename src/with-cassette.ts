import { isAbsolute, join, resolve } from 'node:path';
import { runStartedAt } from './cassette/run-start.js';
import { loadCassette, saveCassette } from './cassette/store.js';
import { mergeOptions, resolveMode, resolveTiming } from './config.js';
import { CassetteError, isCassetteError } from './errors.js';
import { installInterception, setBlockNetwork } from './intercept/install.js';
import { currentScope, registry } from './intercept/registry.js';
import { canonicalRequest, identityOf } from './match/request-key.js';
import { cassetteNameFor, currentTest } from './naming.js';
import { CassetteSession, matchView } from './session.js';
import type { CassetteOptions, CassetteReport, Interaction } from './types.js';

/** Runs `fn` with every outbound HTTP request it makes recorded to / replayed from a cassette. */
export function withCassette<T>(name: string, fn: () => T | Promise<T>, options?: CassetteOptions): Promise<T>;
/** The cassette is named after the running Vitest / Jest test. */
export function withCassette<T>(fn: () => T | Promise<T>, options?: CassetteOptions): Promise<T>;
export async function withCassette<T>(
  nameOrFn: string | (() => T | Promise<T>),
  fnOrOptions?: (() => T | Promise<T>) | CassetteOptions,
  maybeOptions?: CassetteOptions,
): Promise<T> {
  let name: string;
  let fn: () => T | Promise<T>;
  let perCall: CassetteOptions | undefined;
  if (typeof nameOrFn === 'function') {
    fn = nameOrFn;
    perCall = fnOrOptions as CassetteOptions | undefined;
    const test = currentTest();
    if (!test) {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        'cassettes: withCassette(fn) without a name only works inside a Vitest or Jest test\n' + "  fix: pass a name, withCassette('chat/haiku', fn)",
      );
    }
    name = cassetteNameFor(test);
  } else {
    name = nameOrFn;
    fn = fnOrOptions as () => T | Promise<T>;
    perCall = maybeOptions;
  }
  if (typeof fn !== 'function') {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: withCassette("${name}") needs a function to run`);
  }
  return runCassette(name, fn, perCall);
}

export function cassetteFile(name: string, dir: string | undefined): string {
  const base = dir ?? '__cassettes__';
  const folder = isAbsolute(base) ? base : resolve(process.cwd(), base);
  const file = /\.ya?ml$/.test(name) ? name : `${name}.yaml`;
  return join(folder, file);
}

async function runCassette<T>(name: string, fn: () => T | Promise<T>, perCall: CassetteOptions | undefined): Promise<T> {
  const options = mergeOptions(perCall);
  const mode = resolveMode(perCall?.mode);
  const timing = resolveTiming(perCall?.timing);
  const file = cassetteFile(name, options.dir);
  installInterception();
  if (options.blockNetwork !== undefined) setBlockNetwork(options.blockNetwork);

  const loaded = mode === 'passthrough' ? undefined : await loadCassette(file);
  if (!loaded && mode === 'none') {
    throw new CassetteError(
      'LLM_CASSETTE_NOT_FOUND',
      `cassettes: cassette "${name}" does not exist and mode is none (replay only)\n` +
        `  cassette: ${file}\n` +
        `  fix:      record it once with --record=once (or LLM_CASSETTE_RECORD=once), then commit the file`,
      { file },
    );
  }
  const session = new CassetteSession({ name, file, mode, timing, options, parent: currentScope(), loaded: loaded?.data });

  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await registry().als.run(session, fn) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  await session.settle();

  let written = false;
  const data = session.result();
  if (data) {
    try {
      const keyOf = (interaction: Interaction): string => identityOf(canonicalRequest(matchView(interaction.request), options));
      const dropRecordedBefore = mode === 'all' ? runStartedAt() : undefined;
      const saved = await saveCassette(file, { view: data.interactions, keyOf, dropRecordedBefore, base: loaded, recordedWith: data.recordedWith });
      written = saved.written;
    } catch (error) {
      if (isCassetteError(error)) session.errors.push(error);
      else throw error;
    }
  }
  const report: CassetteReport = session.report(written);
  if (options.failOnUnused && report.unused.length > 0 && mode !== 'all' && mode !== 'passthrough') {
    session.errors.push(
      new CassetteError(
        'LLM_CASSETTE_UNUSED',
        `cassettes: ${report.unused.length} recorded interaction(s) in ${file} were never used: #${report.unused.join(', #')}\n` +
          `  the code under test stopped making these calls\n` +
          `  fix:      re-record with --record=all to drop them, or remove failOnUnused`,
        { file },
      ),
    );
  }
  options.onReport?.(report);

  const first = session.errors[0];
  if (first) {
    if (session.errors.length > 1) {
      first.message += `\n  (and ${session.errors.length - 1} more: ${session.errors
        .slice(1)
        .map((e) => e.code)
        .join(', ')})`;
    }
    if (!outcome.ok && outcome.error !== first && first.cause === undefined) {
      Object.defineProperty(first, 'cause', { value: outcome.error, configurable: true, writable: true });
    }
    throw first;
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
