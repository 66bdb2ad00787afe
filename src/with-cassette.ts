import { CassetteError } from './errors.js';
import { currentScope, registry } from './intercept/registry.js';
import { cassetteNameFor, currentTest } from './naming.js';
import { openCassette } from './session/open-cassette.js';
import type { CassetteOptions } from './types.js';

export { cassetteFile } from './session/open-cassette.js';

/** Runs `fn` with every outbound HTTP request it makes recorded to / replayed from a cassette. */
export function withCassette<T>(name: string, fn: () => T | Promise<T>, options?: CassetteOptions): Promise<T>;
/** The cassette is named after the running Vitest / Jest test. */
export function withCassette<T>(fn: () => T | Promise<T>, options?: CassetteOptions): Promise<T>;
export async function withCassette<T>(
  nameOrFn: string | (() => T | Promise<T>),
  fnOrOptions?: (() => T | Promise<T>) | CassetteOptions,
  maybeOptions?: CassetteOptions,
): Promise<T> {
  let name: string;
  let fn: () => T | Promise<T>;
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
    fn = fnOrOptions as () => T | Promise<T>;
    perCall = maybeOptions;
  }
  if (typeof fn !== 'function') {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: withCassette("${name}") needs a function to run`);
  }
  return runCassette(name, fn, perCall);
}

async function runCassette<T>(name: string, fn: () => T | Promise<T>, perCall: CassetteOptions | undefined): Promise<T> {
  const cassette = await openCassette(name, perCall, currentScope());
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await registry().als.run(cassette.session, fn) };
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
