import { REDACTED } from './rules.js';
import type { SecretSet } from './secret-set.js';

/** Names of what carries a secret in prose: query parameters and headers (lower case). */
export interface SecretNames {
  queryParams: ReadonlySet<string>;
  headers: ReadonlySet<string>;
}

const compiled = new WeakMap<ReadonlySet<string>, RegExp>();

function alternation(names: ReadonlySet<string>): string {
  return [...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** `?key=…` / `&api_key=…` anywhere in a text (a URL in a message, an error from a client). */
function queryPattern(names: ReadonlySet<string>): RegExp {
  let found = compiled.get(names);
  if (!found) {
    found = new RegExp(`([?&;](?:${alternation(names)})=)[^&#\\s"'<>\\\\]+`, 'gi');
    compiled.set(names, found);
  }
  return found;
}

const headerPatterns = new WeakMap<ReadonlySet<string>, RegExp>();

/** `authorization: Bearer …`, `"x-api-key":"…"`: a secret header written out as a line or as JSON. */
function headerPattern(names: ReadonlySet<string>): RegExp {
  let found = headerPatterns.get(names);
  if (!found) {
    found = new RegExp(`\\b((?:${alternation(names)})["']?\\s*:\\s*["']?)[^\\r\\n"',]+`, 'gi');
    headerPatterns.set(names, found);
  }
  return found;
}

/**
 * Text that is not part of the exchange itself (an error message, a stored network error): the
 * values that follow a secret query parameter or header name are replaced even when the value
 * was never seen before (a blocked request's `?key=AIza…`), then every known secret.
 */
export function scrubFreeText(text: string, secrets: SecretSet, names: SecretNames): string {
  let out = text;
  if (names.queryParams.size > 0 && out.includes('=')) out = out.replace(queryPattern(names.queryParams), `$1${REDACTED}`);
  if (names.headers.size > 0 && out.includes(':')) out = out.replace(headerPattern(names.headers), `$1${REDACTED}`);
  return secrets.scrubText(out);
}
