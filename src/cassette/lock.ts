import { setTimeout as realSetTimeout } from 'node:timers';

/**
 * A lock not refreshed for this long belongs to a process that died (kill -9, a crash, a power
 * cut) and is taken over. The holder refreshes it every half of this.
 */
export const STALE_MS = 10_000;
/** How long a save waits for another writer of the same cassette before it gives up. */
export const WAIT_MS = 60_000;

export interface HeldLock {
  /** Set when the lock was lost while held (it went stale and another process took it): write nothing. */
  readonly lost: Error | undefined;
}

export class LockTimeout extends Error {
  constructor(
    readonly lockPath: string,
    readonly waitedMs: number,
  ) {
    super(`the lock ${lockPath} was held by another writer for ${Math.round(waitedMs / 1000)} s`);
  }
}

/** The lock of `file`: a directory beside it (empty, so git never sees it). */
export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

type ProperLockfile = typeof import('proper-lockfile');
let library: Promise<ProperLockfile> | undefined;

/**
 * @note proper-lockfile: the lock is a directory made with mkdir (atomic on local and network file
 * systems), kept fresh through its mtime, taken over once stale, removed on exit and on signals;
 * plain JavaScript, so nothing to compile on install (an flock() binding would need a native
 * addon). Loaded on the first save only: loading it installs exit handlers (signal-exit) and
 * graceful-fs's fs.close wrapper, which a replay-only run has no use for.
 */
function lockfile(): Promise<ProperLockfile> {
  library ??= import('proper-lockfile').then((mod) => ((mod as { default?: ProperLockfile }).default ?? mod) as ProperLockfile);
  return library;
}

const QUEUES = Symbol.for('cassettes.lockQueues');

/**
 * One queue per cassette file in this process, shared by every copy of the package in the same
 * realm: the cross-process lock cannot tell two sessions of one process apart, and waiting in
 * line is cheaper than polling a directory.
 */
function queues(): Map<string, Promise<void>> {
  const holder = globalThis as { [QUEUES]?: Map<string, Promise<void>> };
  holder[QUEUES] ??= new Map();
  return holder[QUEUES];
}

async function inLine<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const map = queues();
  const previous = map.get(file) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  map.set(file, tail);
  try {
    await previous;
    return await fn();
  } finally {
    done();
    if (map.get(file) === tail) map.delete(file);
  }
}

/**
 * Runs `fn` holding the lock of `file`, after every other session of this process that asked
 * for it first, and after any other process holding it. Throws LockTimeout after WAIT_MS.
 * The folder of `file` must exist.
 */
export function withCassetteLock<T>(file: string, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  return inLine(file, async () => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const result = await attemptLock(file, fn);
      if (result.held) return result.value;
      const waited = Date.now() - started;
      if (waited > WAIT_MS) throw new LockTimeout(lockPathOf(file), waited);
      // @note real timers (node:timers), never the test's fake ones; short first, then up to 100 ms
      await new Promise((resolve) => realSetTimeout(resolve, Math.min(100, 5 * 1.5 ** attempt) * (0.5 + Math.random())));
    }
  });
}

/** Runs `fn` holding the lock of `file` if it is free right now; otherwise returns `{ held: false }`. */
export async function tryCassetteLock<T>(file: string, fn: (lock: HeldLock) => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
  if (queues().has(file)) return { held: false };
  return inLine(file, () => attemptLock(file, fn));
}

async function attemptLock<T>(file: string, fn: (lock: HeldLock) => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
  const { lock } = await lockfile();
  const held: { lost: Error | undefined } = { lost: undefined };
  let release: () => Promise<void>;
  try {
    release = await lock(file, {
      realpath: false,
      lockfilePath: lockPathOf(file),
      stale: STALE_MS,
      retries: 0,
      // @note the default throws from a timer, which would crash the test process
      onCompromised: (error) => (held.lost = error),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return { held: false };
    throw error;
  }
  try {
    return { held: true, value: await fn(held) };
  } finally {
    await release().catch(() => undefined);
  }
}
