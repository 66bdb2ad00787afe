/**
 * The JSON report of a whole test run (written by the Vitest plugin and the Jest global setup, read
 * by `cassettes prune`). Paths are absolute. Version 1.
 */
export interface RunReport {
  version: 1;
  runner: 'vitest' | 'jest' | 'script';
  startedAt: string;
  finishedAt: string;
  /**
   * The run did not run the whole suite (a file filter, `-t`, `.only`, a shard): what it did not use
   * may still be used by the tests it left out, so nothing may be pruned from it.
   */
  filtered: boolean;
  /** The cassette folders of the run (the `dir` options seen), for finding files no test opened. */
  cassetteDirs: string[];
  /** One entry per cassette file opened during the run, whatever the number of tests that opened it. */
  cassettes: CassetteUse[];
}

export interface CassetteUse {
  file: string;
  /** Names it was opened under (usually one). */
  names: string[];
  modes: string[];
  /** How many withCassette sessions opened it. */
  sessions: number;
  replayed: number;
  recorded: number;
  refused: number;
  passedThrough: number;
  /** Interactions (by index in the file as the run found it) that no session used. */
  unused: number[];
  written: boolean;
}
