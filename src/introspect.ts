import { readFileSync } from 'node:fs';
import { decodeCassette } from './cassette/codec.js';
import { CassetteError } from './errors.js';
import { currentScope } from './intercept/registry.js';
import type { InterceptScope } from './intercept/types.js';
import type { CassetteData, RecordMode } from './types.js';

/** The cassette a piece of code runs in. */
export interface ActiveCassette {
  name: string;
  file: string;
  mode: RecordMode;
}

/** The innermost cassette active here (inside a withCassette), or undefined. A withMockLLM is not a cassette. */
export function currentCassette(): ActiveCassette | undefined {
  let scope: InterceptScope | undefined = currentScope();
  while (scope && scope.kind !== 'cassette') scope = scope.parent;
  if (!scope) return undefined;
  const { name, file, mode } = scope as InterceptScope & ActiveCassette;
  return { name, file, mode };
}

/**
 * A cassette file, read and validated as a replay would read it: its interactions, typed. A file
 * that is not a valid cassette is a CassetteFormatError naming the file and the place.
 */
export function readCassette(file: string): CassetteData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CassetteError('LLM_CASSETTE_NOT_FOUND', `cassettes: cannot read cassette ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  return decodeCassette(text, file);
}

/**
 * `cassette.call` for code deep inside the app: records / replays through the innermost active
 * cassette, or just runs `fn` outside any cassette.
 */
export function recordCall<R>(name: string, input: unknown, fn: () => R | Promise<R>): Promise<R> {
  let scope: InterceptScope | undefined = currentScope();
  while (scope && scope.kind !== 'cassette') scope = scope.parent;
  const journal = (scope as (InterceptScope & { journal?: { call<T>(n: string, i: unknown, f: () => T | Promise<T>): Promise<T> } }) | undefined)?.journal;
  return journal ? journal.call(name, input, fn) : Promise.resolve().then(fn);
}
