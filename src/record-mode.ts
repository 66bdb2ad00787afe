import type { RecordMode } from './types.js';

/**
 * Every rule of the record modes, in one table: what a cassette loads, what a request that
 * matches a recording does, what one that matches nothing does, what is saved, and what counts as
 * unused. Adding a mode is a row here and a row in record-mode.test.ts (vcrpy's record_mode.py,
 * undici's SnapshotAgent keep theirs the same way).
 */
export interface RecordPolicy {
  readonly mode: RecordMode;
  /** The cassette's recordings are read at the start and can be replayed. */
  readonly loads: boolean;
  /** No cassette file yet: start an empty one, or fail before the test body runs (replay only). */
  readonly whenMissing: 'start' | 'fail';
  /** A request that matches a recording. */
  readonly onMatch: 'replay' | 'passthrough';
  /** A request that matches none (`closest`: answered from the closest recording of its method and URL, with a warning). */
  readonly onMiss: 'record' | 'refuse' | 'passthrough' | 'closest';
  /**
   * What is saved: nothing; what was recorded, merged into the file (what is there stays); or what
   * this run recorded, replacing what the file held from before this run.
   */
  readonly saves: 'nothing' | 'merge' | 'rerecord';
  /** Recordings this session loaded and never used are reported (and fail with failOnUnused). */
  readonly reportsUnused: boolean;
}

/** What the policy of `once` depends on: the file, and whether this run created it. */
export interface CassetteOnDisk {
  exists: boolean;
  /** Every recording in the file was made during the current test run (another test, worker or call). */
  createdThisRun: boolean;
}

const REPLAY_ONLY: Omit<RecordPolicy, 'mode'> = {
  loads: true,
  whenMissing: 'fail',
  onMatch: 'replay',
  onMiss: 'refuse',
  saves: 'nothing',
  reportsUnused: true,
};

const RECORD_MISSES: Omit<RecordPolicy, 'mode'> = {
  loads: true,
  whenMissing: 'start',
  onMatch: 'replay',
  onMiss: 'record',
  saves: 'merge',
  reportsUnused: true,
};

/**
 * The policy of a mode for one cassette.
 * @note `once` records what is missing during the run that first creates the cassette (so tests
 * that share a named cassette all get their recordings), and is replay-only on every later run.
 */
export function recordPolicy(mode: RecordMode, cassette: CassetteOnDisk): RecordPolicy {
  switch (mode) {
    case 'none':
      return { mode, ...REPLAY_ONLY };
    case 'once':
      return !cassette.exists || cassette.createdThisRun ? { mode, ...RECORD_MISSES } : { mode, ...REPLAY_ONLY, whenMissing: 'start' };
    case 'new':
      return { mode, ...RECORD_MISSES };
    case 'all':
      // nothing loaded, so nothing matches: every request is recorded
      return { mode, loads: false, whenMissing: 'start', onMatch: 'replay', onMiss: 'record', saves: 'rerecord', reportsUnused: false };
    case 'passthrough':
      return { mode, loads: false, whenMissing: 'start', onMatch: 'passthrough', onMiss: 'passthrough', saves: 'nothing', reportsUnused: false };
    case 'warn':
      return { mode, ...REPLAY_ONLY, onMiss: 'closest' };
    case 'hybrid':
      return { mode, ...REPLAY_ONLY, whenMissing: 'start', onMiss: 'passthrough' };
  }
}

export type Decision = RecordPolicy['onMatch'] | RecordPolicy['onMiss'];

/** Modes whose misses reach the network: under CI they need LLM_CASSETTE_ALLOW_LIVE=1 as well (never by accident). */
export const LIVE_MISS_MODES: readonly RecordMode[] = ['hybrid'];

/** What happens to one request under a policy. */
export function decide(policy: RecordPolicy, matched: boolean): Decision {
  return matched ? policy.onMatch : policy.onMiss;
}

/** Whether the cassette file is read at the start (before its policy is known: `once` needs it). */
export function readsFile(mode: RecordMode): boolean {
  return recordPolicy(mode, { exists: true, createdThisRun: false }).loads;
}
