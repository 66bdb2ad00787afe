import { CassetteError } from './errors.js';
import { currentScope, registry } from './intercept/registry.js';
import { cassetteNameFor, currentTest } from './naming.js';
import { openCassette } from './session/open-cassette.js';
import type { CassetteOptions, RecordMode } from './types.js';

export { cassetteFile } from './session/open-cassette.js';

/** What the function inside a cassette is handed: the cassette, and its journal of non-HTTP calls. */
export interface CassetteHandle {
  readonly name: string;
  readonly file: string;
  readonly mode: RecordMode;
  /**
   * Records `fn`'s result (or what it threw) under `name` and `input`, and replays it without
   * running `fn`, by the mode's rules. Input and output must be plain JSON.
   */
  call<R>(name: string, input: unknown, fn: () => R | Promise<R>): Promise<R>;
  /** A checkpoint in the cassette's timeline (kept when the cassette records; replay ignores it). */
  note(label: string, data?: unknown): void;
}

type CassetteFn<T> = (cassette: CassetteHandle) => T | Promise<T>;

/** Runs `fn` with every outbound HTTP request it makes recorded to / replayed from a cassette. */
export function withCassette<T>(name: string, fn: CassetteFn<T>, options?: CassetteOptions): Promise<T>;
/** The cassette is named after the running Vitest / Jest test. */
export function withCassette<T>(fn: CassetteFn<T>, options?: CassetteOptions): Promise<T>;
export async function withCassette<T>(
  nameOrFn: string | CassetteFn<T>,
  fnOrOptions?: CassetteFn<T> | CassetteOptions,
  maybeOptions?: CassetteOptions,
): Promise<T> {
  let name: string;
  let fn: CassetteFn<T>;
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
    fn = fnOrOptions as CassetteFn<T>;
    perCall = maybeOptions;
  }
  if (typeof fn !== 'function') {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: withCassette("${name}") needs a function to run`);
  }
  return runCassette(name, fn, perCall);
}

async function runCassette<T>(name: string, fn: CassetteFn<T>, perCall: CassetteOptions | undefined): Promise<T> {
  const cassette = await openCassette(name, perCall, currentScope());
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    const { session } = cassette;
    const handle: CassetteHandle = {
      name: session.name,
      file: session.file,
      mode: session.policy.mode,
      call: (callName, input, callFn) => session.journal.call(callName, input, callFn),
      note: (label, data) => session.journal.note(label, data),
    };
    outcome = { ok: true, value: await registry().als.run(session, () => fn(handle)) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const { errors } = await cassette.close();
  const first = errors[0];
  if (first) {
    if (errors.length > 1)
      first.message += `\n  (and ${errors.length - 1} more: ${errors
        .slice(1)
        .map((e) => e.code)
        .join(', ')})`;
    if (!outcome.ok && outcome.error !== first && first.cause === undefined) {
      Object.defineProperty(first, 'cause', { value: outcome.error, configurable: true, writable: true });
    }
    throw first;
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
