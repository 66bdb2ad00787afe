import { sanitise, type TestIdentity } from '../naming.js';

/**
 * Auto-naming shared by the Vitest and Jest integrations: a cassette per test at
 * `<test file>/<describe> <test>`, never shared by accident.
 * - A second test in the same file whose name sanitises to the same text gets ` (2)`.
 * - A test's second nameless cassette gets ` #2`, its third ` #3`, counted per attempt, so a
 *   retried test replays the same files.
 */

/** One test as a runner reports it. */
export interface TestRun {
  file: string;
  /** Its title, already unique in its file (see assignTitles). */
  title: string;
  /** Stable across retries of the same test: holds the per-attempt cassette counter. */
  key: object;
  /** Changes when the runner retries or repeats the test. */
  attempt: string;
}

// @note derived from sanitise() itself rather than repeating its length limit here.
const MAX_TITLE = sanitise('x'.repeat(10_000)).length;

/** `base` with `suffix`, shortened so that sanitise() cannot cut the suffix off again. */
export function withSuffix(base: string, suffix: string): string {
  if (!suffix) return base;
  return `${base.slice(0, Math.max(0, MAX_TITLE - suffix.length)).replace(/[.\s]+$/, '')}${suffix}`;
}

export function titleOf(titles: readonly string[]): string {
  return sanitise(titles.join(' '));
}

/**
 * Unique titles for every test of a file, in definition order: the first keeps its title,
 * later ones with the same (sanitised) title get the lowest free ` (n)`. Definition order, not
 * run order, so concurrency, `.only` and `-t` filters cannot move a cassette.
 */
export function assignTitles(tests: readonly (readonly string[])[]): string[] {
  const plain = tests.map(titleOf);
  const taken = new Set(plain);
  const seen = new Set<string>();
  return plain.map((title) => {
    if (!seen.has(title)) {
      seen.add(title);
      return title;
    }
    for (let n = 2; ; n++) {
      const candidate = withSuffix(title, ` (${n})`);
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  });
}

interface Counter {
  attempt: string;
  calls: number;
}

// @note on the realm's global: the setup file and the test file may each load their own copy of
// this module (Vitest inlining one of them, Jest's per-file registry), but must count together.
const COUNTERS = Symbol.for('cassettes.cassette-counters');

function counters(): WeakMap<object, Counter> {
  const holder = globalThis as unknown as Record<symbol, WeakMap<object, Counter> | undefined>;
  return (holder[COUNTERS] ??= new WeakMap());
}

/** The identity of this test's next nameless cassette. */
export function nextCassette(run: TestRun): TestIdentity {
  const map = counters();
  let counter = map.get(run.key);
  if (!counter || counter.attempt !== run.attempt) {
    counter = { attempt: run.attempt, calls: 0 };
    map.set(run.key, counter);
  }
  counter.calls++;
  return { file: run.file, titles: [withSuffix(run.title, counter.calls > 1 ? ` #${counter.calls}` : '')] };
}
