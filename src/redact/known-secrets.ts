import { runInThisContext } from 'node:vm';
import type { RedactOptions } from '../types.js';
import { MIN_SECRET_LENGTH, SECRET_ENV_VARS } from './rules.js';

/**
 * Every secret this process has been told of or has seen, for messages: an error or a debug
 * line may be built where no cassette is active (a blocked request outside any cassette, a
 * guard stopping a request made with its own dispatcher), or by another copy of the package.
 * Cassettes never use it for what they store: a file must not depend on what else ran before.
 *
 * @note on the main realm's global under a Symbol.for key, like the interceptor's registry:
 * under Jest, configure() runs in a test file's realm while the guard that builds a message may
 * be code from another file's realm.
 */
export interface KnownSecrets {
  values: Set<string>;
  patterns: Map<string, RegExp>;
  headers: Set<string>;
  queryParams: Set<string>;
  /** Bumped on every change, so that a scrubber built from this can tell it is stale. */
  version: number;
}

/** Values kept at most; the oldest go first (a long run that sees many short-lived tokens). */
const MAX_VALUES = 10_000;
const KEY = Symbol.for('cassettes.known-secrets.v1');
const mainRealm = runInThisContext('globalThis') as Record<symbol, KnownSecrets | undefined>;

export function knownSecrets(): KnownSecrets {
  let found = mainRealm[KEY];
  if (!found) {
    found = { values: new Set(), patterns: new Map(), headers: new Set(), queryParams: new Set(), version: 0 };
    Object.defineProperty(mainRealm, KEY, { value: found, enumerable: false, configurable: true, writable: false });
  }
  return found;
}

/** The values of the provider key variables in this realm's environment. */
export function envSecrets(): string[] {
  const found: string[] = [];
  for (const name of SECRET_ENV_VARS) {
    const value = process.env[name];
    if (value) found.push(value);
  }
  return found;
}

/** Learns secret values (and, with `options`, the user's rules) for every later message. */
export function rememberSecrets(values: Iterable<string>, options?: RedactOptions): void {
  const known = knownSecrets();
  const before = known.version;
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH || known.values.has(value)) continue;
    known.values.add(value);
    known.version++;
  }
  if (options) {
    for (const value of options.values ?? []) {
      if (value.length < MIN_SECRET_LENGTH || known.values.has(value)) continue;
      known.values.add(value);
      known.version++;
    }
    for (const pattern of options.patterns ?? []) {
      const id = `${pattern.source}/${pattern.flags}`;
      if (known.patterns.has(id)) continue;
      known.patterns.set(id, pattern);
      known.version++;
    }
    for (const [names, into] of [
      [options.headers, known.headers],
      [options.queryParams, known.queryParams],
    ] as const) {
      for (const name of names ?? []) {
        const lower = name.toLowerCase();
        if (into.has(lower)) continue;
        into.add(lower);
        known.version++;
      }
    }
  }
  if (known.version !== before && known.values.size > MAX_VALUES) {
    for (const value of known.values) {
      known.values.delete(value);
      if (known.values.size <= MAX_VALUES) break;
    }
  }
}
