import { isAbsolute, join, resolve } from 'node:path';
import { loadCassette, saveCassette } from '../cassette/store.js';
import { mergeOptions, resolveMode, resolveTiming, runStartedAt } from '../config.js';
import { parseDuration } from '../duration.js';
import { CassetteError, isCassetteError } from '../errors.js';
import { installInterception, setBlockNetwork } from '../intercept/install.js';
import type { InterceptScope } from '../intercept/types.js';
import { listening, publish } from '../journal/events.js';
import { focusedTestFile } from '../naming.js';
import { readsFile, recordPolicy } from '../record-mode.js';
import { noteFocused, noteSession } from '../report/run-log.js';
import type { CassetteData, CassetteOptions, CassetteReport, TimelineEntry } from '../types.js';
import { checkExpiry, expiredBefore } from './expiry.js';
import { keysOf } from './recordings.js';
import { CassetteSession } from './session.js';

/** The cassette folder: the `dir` option, relative to the working directory; `__cassettes__` by default. */
export function cassetteDir(dir: string | undefined): string {
  const base = dir ?? '__cassettes__';
  return isAbsolute(base) ? base : resolve(process.cwd(), base);
}

/** The file a cassette name stands for: `<dir>/<name>.yaml`. */
export function cassetteFile(name: string, dir: string | undefined): string {
  return join(cassetteDir(dir), /\.ya?ml$/.test(name) ? name : `${name}.yaml`);
}

/** A cassette from its opening to its save: the one lifecycle every host (withCassette, the server) uses. */
export interface OpenCassette {
  readonly session: CassetteSession;
  /**
   * Waits for recordings in flight, saves what the record policy says, and tells what happened.
   * `errors`: what the cassette failed with (misses, hooks, writes, unused), first one first.
   */
  close(): Promise<{ report: CassetteReport; errors: CassetteError[] }>;
}

/** Every recording in the file was made during this test run. */
function createdThisRun(data: CassetteData | undefined): boolean {
  if (!data || data.interactions.length === 0) return false;
  const started = runStartedAt();
  return data.interactions.every((i) => Date.parse(i.recordedAt) >= started);
}

/**
 * Resolves the options (per call over configured defaults, the mode and timing by their
 * precedence), reads the cassette when its mode needs it, and starts a session.
 */
export async function openCassette(name: string, perCall: CassetteOptions | undefined, parent: InterceptScope | undefined): Promise<OpenCassette> {
  const options = mergeOptions(perCall);
  const mode = resolveMode(perCall?.mode);
  const timing = resolveTiming(perCall?.timing);
  const file = cassetteFile(name, options.dir);
  installInterception();
  if (options.blockNetwork !== undefined) setBlockNetwork(options.blockNetwork);

  const loaded = readsFile(mode) ? await loadCassette(file) : undefined;
  const policy = recordPolicy(mode, { exists: loaded !== undefined, createdThisRun: createdThisRun(loaded?.data) });
  if (!loaded && policy.whenMissing === 'fail') {
    throw new CassetteError(
      'LLM_CASSETTE_NOT_FOUND',
      `cassettes: cassette "${name}" does not exist and mode is ${mode} (replay only)\n` +
        `  cassette: ${file}\n` +
        `  fix:      record it once with --record=once (or LLM_CASSETTE_RECORD=once), then commit the file`,
      { file },
    );
  }
  const expiry = checkExpiry(loaded?.data, options, policy, file);
  if (expiry.warning) process.stderr.write(`${expiry.warning}\n`);
  const session = new CassetteSession({
    name,
    file,
    policy,
    timing,
    options,
    parent,
    loaded: loaded?.data,
    leftOut: expiry.rerecord ? new Set(expiry.expired) : undefined,
  });
  if (listening('cassetteStart')) publish('cassetteStart', { type: 'cassette:start', cassette: session.ref });
  return {
    session,
    async close() {
      await session.settle();
      let written = false;
      const data = session.result();
      if (data) {
        try {
          const saved = await saveCassette(file, {
            view: data.interactions,
            keys: (all) => keysOf(all, options),
            dropRecordedBefore: policy.saves === 'rerecord' ? runStartedAt() : undefined,
            // an expired recording goes when a fresh one of its key is saved (expired: 'record')
            drop: expiry.rerecord ? dropReplaced(data.interactions, options) : undefined,
            base: loaded,
            recordedWith: data.recordedWith,
          });
          written = saved.written;
        } catch (error) {
          if (isCassetteError(error)) session.errors.push(error);
          else throw error;
        }
      }
      const report = { ...session.report(written), expired: expiry.expired };
      if (expiry.error) session.errors.push(expiry.error);
      if (options.failOnUnused && report.unused.length > 0) {
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
      if (listening('cassetteEnd')) publish('cassetteEnd', { type: 'cassette:end', cassette: session.ref, report });
      noteSession({ report, dir: cassetteDir(options.dir), loaded: policy.loads ? (loaded?.data.interactions.length ?? 0) : 0 });
      const focused = focusedTestFile();
      if (focused) noteFocused(focused);
      return { report, errors: session.errors };
    },
  };
}

/** The save's drop rule for expired recordings: those whose key a fresh recording of this session took. */
function dropReplaced(fresh: readonly TimelineEntry[], options: CassetteOptions): (entry: TimelineEntry, key: string) => boolean {
  const isExpired = expiredBefore(parseDuration(options.maxAge ?? 0) ?? 0);
  const keyOf = keysOf(fresh, options);
  const replaced = new Set(fresh.filter((entry) => !isExpired(entry)).map(keyOf));
  return (entry, key) => isExpired(entry) && replaced.has(key);
}
