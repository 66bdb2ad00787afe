import { currentScope } from '../intercept/registry.js';
import type { InterceptScope } from '../intercept/types.js';
import type { TimingMode } from '../types.js';

/**
 * What an active cassette says about waiting: a cassette that only replays has the attempts on
 * tape already, so a retry's wait costs what its timing says — nothing with `instant`, the full
 * wait with `recorded`, a share of it with `{ speed }`. Anything that may still reach the
 * provider (recording, passthrough, no cassette at all) waits in full.
 *
 * @note The scope is read by shape: a scope may say `replayTiming()` itself; a cassette session
 * today shows its `mode`, `timing` and whether its file `existed`. Only replay-only sessions
 * count: `none`, and `once` on a cassette that existed (a miss is refused, never recorded).
 */
interface CassetteLike {
  readonly mode?: unknown;
  readonly timing?: unknown;
  readonly existed?: unknown;
  replayTiming?(): TimingMode | undefined;
}

function isTiming(value: unknown): value is TimingMode {
  return (
    value === 'instant' || value === 'recorded' || (typeof value === 'object' && value !== null && typeof (value as { speed?: unknown }).speed === 'number')
  );
}

/** The timing the innermost cassette replays everything with; `undefined` when it may record. */
export function replayTiming(scope: InterceptScope | undefined = currentScope()): TimingMode | undefined {
  if (!scope) return undefined;
  const cassette = scope as InterceptScope & CassetteLike;
  if (typeof cassette.replayTiming === 'function') return cassette.replayTiming();
  if (typeof cassette.mode !== 'string' || !isTiming(cassette.timing)) return undefined;
  const replaysOnly = cassette.mode === 'none' || (cassette.mode === 'once' && cassette.existed === true);
  return replaysOnly ? cassette.timing : undefined;
}

/** How much of a wait to keep: 0 in an instant replay, 1 live or at recorded speed, 1/n at `{ speed: n }`. */
export function waitScale(timing: TimingMode | undefined = replayTiming()): number {
  if (timing === undefined || timing === 'recorded') return 1;
  if (timing === 'instant') return 0;
  return 1 / timing.speed;
}
