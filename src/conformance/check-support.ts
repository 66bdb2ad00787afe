import type { ConformanceErrorCode } from '../error-codes.js';
import type { LLMProviderCore } from '../protocol/provider.js';
import { ConformanceError, check, describeValue } from './conformance-error.js';
import type { ConformanceCapabilities, ConformanceContext, ConformanceOptions } from './types.js';

export interface Instance {
  readonly provider: LLMProviderCore;
  readonly context: ConformanceContext;
  networkCalls(): number;
}

export async function instantiate(make: (context: ConformanceContext) => LLMProviderCore | Promise<LLMProviderCore>): Promise<Instance> {
  let calls = 0;
  const context: ConformanceContext = { onNetwork: () => void calls++ };
  const provider = await make(context);
  check(typeof provider?.complete === 'function', 'the factory must return an LLMProvider (no `complete` method found)');
  return { provider, context, networkCalls: () => calls };
}

export async function rejection(promise: Promise<unknown>, what = 'the call'): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new ConformanceError(`cassettes conformance: expected ${what} to reject, but it resolved with ${describeValue(value)}`);
}

export async function streamRejection(stream: () => AsyncIterable<unknown>): Promise<unknown> {
  return rejection(
    (async () => {
      for await (const _event of stream()) {
        // drain: the error must surface while iterating
      }
    })(),
  );
}

export function isAbortRejection(error: unknown, reason: unknown): boolean {
  return error === reason || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'));
}

/** Rejects when `promise` has not settled after `ms`; the timer never outlives the race. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`cassettes conformance: ${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects unhandled rejections while `fn` runs and shortly after: an abort must leave none behind. */
export async function noUnhandledRejections(fn: () => Promise<void>, settleMs = 50): Promise<void> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  proc?.on('unhandledRejection', listener);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    proc?.off('unhandledRejection', listener);
  }
  check(seen.length === 0, `an unhandled rejection was left behind: ${describeValue(seen[0])}`);
}

/** Thrown by a check that finds it cannot apply to this provider; the check is reported as skipped. */
export class ConformanceSkip extends Error {
  override readonly name = 'ConformanceSkip';
  readonly code: ConformanceErrorCode = 'LLM_CONFORMANCE_SKIPPED';
  constructor(readonly reason: string) {
    super(`cassettes conformance: skipped: ${reason}`);
  }
}

/** What every group of checks gets: the settings and a way to add a check. */
export interface CheckSuite {
  readonly capabilities: ConformanceCapabilities;
  readonly options: ConformanceOptions;
  readonly timeoutMs: number;
  readonly abortWithinMs: number;
  /** Adds a check; with `skip`, one that cannot apply, and why. */
  add(name: string, run: () => Promise<void>, skip?: string): void;
  /** A new provider from the factory, with its own network counter. */
  fresh(): Promise<Instance>;
}
