import { currentScope } from '../intercept/registry.js';
import type { InterceptScope } from '../intercept/types.js';
import type { TimingMode } from '../types.js';

/**
 * What an active cassette says about waiting: a cassette that only answers from tape has the
 * attempts recorded already, so a retry's wait costs what its timing says — nothing with
 * `instant`, the full wait with `recorded`, a share of it with `{ speed }`. Anything that may
 * still reach the provider (recording, passthrough, hybrid, a mock, no cassette at all) waits in
 * full.
 *
 * @note The session is read by shape: a scope may say `replayTiming()` itself; a cassette session
 * today shows its record `policy` and keeps its `timing` as a private field. Tape only: a match
 * replays and a miss is refused (`none`, `once` on a cassette from an earlier run) or answered
 * from the closest recording (`warn`).
 */
interface CassetteLike {
  readonly kind?: string;
  readonly policy?: { readonly onMatch?: unknown; readonly onMiss?: unknown };
  readonly timing?: unknown;
  replayTiming?(): TimingMode | undefined;
}

function isTiming(value: unknown): value is TimingMode {
  return (
    value === 'instant' || value === 'recorded' || (typeof value === 'object' && value !== null && typeof (value as { speed?: unknown }).speed === 'number')
  );
}

/** The timing the innermost cassette answers everything with; `undefined` when it may go live. */
export function replayTiming(start: InterceptScope | undefined = currentScope()): TimingMode | undefined {
  let scope = start;
  // scopes of no kind (the conformance suite's network watch) only observe: look past them
  while (scope && scope.kind === undefined) scope = scope.parent;
  if (scope?.kind !== 'cassette') return undefined;
  const cassette = scope as InterceptScope & CassetteLike;
  if (typeof cassette.replayTiming === 'function') return cassette.replayTiming();
  const policy = cassette.policy;
  if (!policy || !isTiming(cassette.timing)) return undefined;
  const tapeOnly = policy.onMatch === 'replay' && (policy.onMiss === 'refuse' || policy.onMiss === 'closest');
  return tapeOnly ? cassette.timing : undefined;
}

/** How much of a wait to keep: 0 in an instant replay, 1 live or at recorded speed, 1/n at `{ speed: n }`. */
export function waitScale(timing: TimingMode | undefined = replayTiming()): number {
  if (timing === undefined || timing === 'recorded') return 1;
  if (timing === 'instant') return 0;
  return 1 / timing.speed;
}
