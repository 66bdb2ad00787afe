import { constants, existsSync } from 'node:fs';
import { access, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CassetteError, isCassetteError } from '../errors.js';
import type { CassetteData, TimelineEntry } from '../types.js';
import { leftoverTemps, removeAll, writeAtomically } from './atomic-write.js';
import { CASSETTE_VERSION, decodeCassette, encodeCassette } from './codec.js';
import { LockTimeout, lockPathOf, STALE_MS, tryCassetteLock, WAIT_MS, withCassetteLock } from './lock.js';
import { mergeInteractions } from './merge.js';

export interface LoadedCassette {
  data: CassetteData;
  /** The exact text on disk, to skip work when the file has not changed. */
  text: string;
}

/** The cassette, or undefined when there is no file (nor a folder for it) yet. */
export async function loadCassette(file: string): Promise<LoadedCassette | undefined> {
  const text = await readText(file);
  await removeLeftovers(file);
  return text === undefined ? undefined : { data: decodeCassette(text, file), text };
}

export interface SaveOptions {
  /**
   * The writer's view, in order: what it loaded plus what it recorded (modes `new`, `once`), or
   * only what it recorded (`all`). See merge.ts for the rules.
   */
  view: readonly TimelineEntry[];
  /**
   * Given every interaction the file may hold after the save, how each is keyed: sessions key as
   * a session loading them would (with their match options); the CLI may use the stored `key`.
   */
  keys: (all: readonly TimelineEntry[]) => (interaction: TimelineEntry) => string;
  /** Mode `all`: drop the interactions on disk recorded before this time (the run's start, ms since the epoch). */
  dropRecordedBefore?: number | undefined;
  /** What this writer loaded: when the file still holds exactly this text, it is not parsed again. */
  base?: LoadedCassette | undefined;
  /** `cassettes <version>`, written at the top of the file. */
  recordedWith: string;
}

export interface SaveResult {
  /** The file was (re)written. */
  written: boolean;
  /** Interactions of the view appended to the file. */
  added: number;
  /** Interactions of the view the file already held (same key and ordinal): another writer was first. */
  duplicates: number;
  /** Interactions dropped as recorded before `dropRecordedBefore`. */
  dropped: number;
  /** What the file holds now. */
  data: CassetteData;
}

/**
 * Saves a writer's view: under the cassette's lock, re-reads the file as it is now, merges the
 * view into it (merge.ts: nothing another writer added is lost) and writes the result atomically
 * when it changed. Temp files left by writers killed mid-save are removed on the way.
 */
export function saveCassette(file: string, options: SaveOptions): Promise<SaveResult> {
  return underLock(file, options.view.length, (text) => {
    const base = options.base;
    const disk = text === undefined ? undefined : base !== undefined && text === base.text ? base.data : decodeCassette(text, file);
    const onDisk = disk?.interactions ?? [];
    const merged = mergeInteractions({
      disk: onDisk,
      view: options.view,
      keyOf: options.keys([...onDisk, ...options.view]),
      dropRecordedBefore: options.dropRecordedBefore,
    });
    const data: CassetteData = { version: CASSETTE_VERSION, recordedWith: options.recordedWith, interactions: merged.interactions };
    const { added, duplicates, dropped } = merged;
    const changed = text === undefined || added > 0 || dropped > 0;
    return {
      text: changed ? encodeCassette(data) : undefined,
      result: (written) => ({ written, added, duplicates, dropped, data: changed || !disk ? data : disk }),
    };
  });
}

/**
 * Replaces the cassette with `data` (no merge): for tools that rewrite a cassette on purpose,
 * such as compacting it. Under the lock and atomic, like saveCassette. Returns whether it wrote.
 */
export function writeCassette(file: string, data: CassetteData): Promise<boolean> {
  return underLock(file, data.interactions.length, () => ({ text: encodeCassette(data), result: (written) => written }));
}

/** What to write given the file's text now (undefined: nothing), and what to return once done. */
type Plan<T> = (current: string | undefined) => { text: string | undefined; result: (written: boolean) => T };

/** Tries of a save whose file changed under it although the lock was held. */
const RACES = 5;

/**
 * Runs `plan` holding the cassette's lock on the file's text as it is now, and writes what it
 * says when that differs from the file. Every failure becomes a CassetteError.
 */
async function underLock<T>(file: string, count: number, plan: Plan<T>): Promise<T> {
  await refuseReadOnly(file, count);
  try {
    await mkdir(dirname(file), { recursive: true });
    // @note one lock per file, whatever path leads to it: the folder's real path
    const path = join(await realpath(dirname(file)), basename(file));
    return await withCassetteLock(path, async (lock) => {
      await removeAll(await leftoverTemps(path));
      for (let attempt = 1; ; attempt++) {
        const before = await identity(path);
        const current = await readText(path, file);
        const { text, result } = plan(current);
        if (text === undefined || text === current) return result(false);
        if (lock.lost) throw lock.lost;
        // @note two writers that took over the same stale lock at once both believe they hold it
        // (proper-lockfile removes a stale lock, then makes its own): a file that changed since it
        // was read is merged again rather than overwritten
        if (attempt < RACES && (await identity(path)) !== before) continue;
        await writeAtomically(path, text);
        return result(true);
      }
    });
  } catch (error) {
    if (isCassetteError(error)) throw error;
    throw writeError(file, error);
  }
}

/** Which file version is at `path`: a rename puts a new inode there. */
async function identity(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return 'none';
  }
}

function writeError(file: string, error: unknown): CassetteError {
  const lines =
    error instanceof LockTimeout
      ? [
          `cassettes: could not write cassette ${file}: another process kept it locked for ${Math.round(WAIT_MS / 1000)} s`,
          '  the responses were served but this recording is lost',
          `  fix: if no other test run is going on, delete the folder ${error.lockPath}`,
        ]
      : [
          `cassettes: could not write cassette ${file}: ${(error as Error)?.message ?? String(error)}`,
          '  the previous file (if any) is intact; the responses were served but this recording is lost',
          (error as NodeJS.ErrnoException)?.code === 'ECOMPROMISED'
            ? `  (its lock went stale: the save was blocked for more than ${STALE_MS / 1000} s and another writer took over)`
            : '  fix: make the folder writable, or set the dir option to a writable folder',
        ];
  return new CassetteError('LLM_CASSETTE_WRITE', lines.join('\n'), { file, cause: error });
}

/** The file's text, or undefined when it does not exist. `shown`: the path to name in errors. */
async function readText(file: string, shown = file): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // ENOTDIR: a path that cannot hold a file yet; the write will say why
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why = code === 'EISDIR' ? 'a folder is where the cassette file should be' : (error as Error).message;
    throw new CassetteError(
      'LLM_CASSETTE_UNREADABLE',
      `cassettes: cannot read cassette ${shown}: ${why}\n` +
        `  fix: ${code === 'EISDIR' ? 'move the folder away, or name the cassette differently' : 'make the file readable (check its permissions)'}`,
      { file: shown, cause: error },
    );
  }
}

/** A cassette without write permission is left alone: recording into it fails loudly. */
async function refuseReadOnly(file: string, count: number): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch {
    return; // no file yet (or no folder): nothing to protect
  }
  // @note the mode bits, not only access(): a process running as root may write anything
  const readOnly =
    (mode & 0o222) === 0 ||
    (await access(file, constants.W_OK).then(
      () => false,
      () => true,
    ));
  if (!readOnly) return;
  throw new CassetteError(
    'LLM_CASSETTE_READ_ONLY',
    `cassettes: cassette ${file} is read-only (mode ${(mode & 0o777).toString(8)}): ${count} interaction(s) were not saved and the file was left as it is\n` +
      `  fix: make it writable (chmod u+w) to record into it, or replay it without recording (--record=none)`,
    { file },
  );
}

/**
 * What a writer killed mid-save left beside this cassette (temp files, its lock once stale) goes
 * at the next load too, so that a replay-only run cleans up as well. Best effort: a read-only
 * checkout keeps them, and a writer holding the lock now removes them itself.
 */
async function removeLeftovers(file: string): Promise<void> {
  try {
    if ((await leftoverTemps(file)).length === 0 && !existsSync(lockPathOf(file))) return;
    const path = join(await realpath(dirname(file)), basename(file));
    await tryCassetteLock(path, async () => removeAll(await leftoverTemps(path)));
  } catch {
    // nothing to do about it here; the next save tries again
  }
}
