import type { Redactor } from '../redact/redact.js';

/** A JSON value with every secret the redactor knows scrubbed from its strings and its keys. */
export function scrubValue<T>(value: T, redactor: Redactor): T {
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return redactor.scrub(item);
    if (Array.isArray(item)) return item.map(visit);
    if (item !== null && typeof item === 'object') {
      // fromEntries keeps a "__proto__" key a key
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redactor.scrub(key), visit(inner)]));
    }
    return item;
  };
  return visit(value) as T;
}
