import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import { CassetteError } from '../errors.js';
import { SECRET_QUERY_PARAMS } from '../redact/rules.js';
import type { MatchOptions, MatchRequestView } from '../types.js';
import { withoutPaths } from './body-path.js';
import { holdsIds, normalizeClientIds } from './client-ids.js';
import { readUrl } from './url.js';

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Request headers that change the answer. Everything else (user-agent, x-stainless-*,
 * x-goog-api-client, anthropic-version, retry counters, secrets) varies between SDK versions and
 * machines and would break every cassette on upgrade.
 */
export const KEY_HEADERS = ['anthropic-beta', 'openai-beta'] as const;

const DEFAULT_KEY_HEADERS: ReadonlySet<string> = new Set(KEY_HEADERS);

export interface CanonicalRequest {
  method: string;
  origin: string;
  path: string;
  query: [string, string][];
  headers: [string, string][];
  body: unknown;
}

/**
 * What keys a request: method, origin (unless normalised), path, sorted query without secret
 * parameters, the key headers, and the body after the user's `normalize`, `ignoreBodyFields` and
 * the client-id normaliser. `knownIds`: ids that responses before this request held (client-ids.ts).
 */
export function canonicalRequest(input: MatchRequestView, options: MatchOptions = {}, knownIds: ReadonlySet<string> = NO_IDS): CanonicalRequest {
  if (options.normalize) input = userNormalize(options.normalize, input);
  const url = readUrl(input.url);
  let origin = url.origin;
  if (options.normalizeOrigin === true) origin = '*';
  else if (typeof options.normalizeOrigin === 'function') origin = options.normalizeOrigin(origin);
  const query =
    url.search === ''
      ? []
      : [...url.searchParams.entries()]
          .filter(([name]) => !SECRET_QUERY_PARAMS.includes(name.toLowerCase()))
          .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  const wanted = options.keyHeaders?.length ? new Set<string>([...KEY_HEADERS, ...options.keyHeaders.map((h) => h.toLowerCase())]) : DEFAULT_KEY_HEADERS;
  const headers: [string, string][] = [];
  for (const name in input.headers) {
    const lower = name.toLowerCase();
    if (wanted.has(lower)) headers.push([lower, input.headers[name]!]);
  }
  if (headers.length > 1) headers.sort(([a], [b]) => compare(a, b));
  let body = input.body;
  if (body !== null && typeof body === 'object') {
    if (options.ignoreBodyFields?.length) body = withoutPaths(body, options.ignoreBodyFields);
    if (options.normalizeClientIds !== false && holdsIds(body)) body = normalizeClientIds(body, knownIds);
  }
  // @note keys in sorted order: identityOf() can then often skip the sorting stringifier
  return { body, headers, method: input.method.toUpperCase(), origin, path: url.pathname, query };
}

/** The exact identity of a request: what the index is keyed by (no hashing on the hot path). */
export function identityOf(canonical: CanonicalRequest): string {
  // Stored request bodies are written key-sorted, so at load nearly every one already is: then
  // the native JSON.stringify gives the same text as the sorting one at ~2.3× its speed.
  return isSorted(canonical) ? JSON.stringify(canonical) : stableStringify(canonical);
}

/**
 * Whether JSON.stringify would list every object's keys in sorted order: for-in (which
 * JSON.stringify follows) yields them strictly ascending, and nothing would be skipped.
 * @note integer-like keys come first in for-in whatever their string order: such an object fails
 * the check and takes the sorting path.
 */
function isSorted(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isSorted(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || !isSorted(item)) return false;
  }
  return true;
}

/** The short, stored form of a request's identity (informational in the cassette). */
export function keyOf(canonical: CanonicalRequest): string {
  return hashIdentity(identityOf(canonical));
}

export function hashIdentity(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export function requestKey(input: MatchRequestView, options: MatchOptions = {}): string {
  return keyOf(canonicalRequest(input, options));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function userNormalize(normalize: NonNullable<MatchOptions['normalize']>, input: MatchRequestView): MatchRequestView {
  try {
    return normalize(input);
  } catch (error) {
    throw new CassetteError(
      'LLM_CASSETTE_HOOK',
      `cassettes: the normalize hook threw on ${input.method} ${input.url}: ${(error as Error)?.message ?? String(error)}\n` +
        `  fix:      make the normalize option return a request for every request`,
      { cause: error },
    );
  }
}
