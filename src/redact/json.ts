import { REDACTED } from './rules.js';

/**
 * A parsed JSON value with `scrub` applied to every string, object keys included; the same value
 * (not a copy) when nothing changed. It catches what a search of the raw text cannot: a secret
 * written with escapes (`\u0073k-…`).
 */
export function scrubJson(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = scrubJson(item, scrub);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
      const nextKey = scrub(key);
      const next = scrubJson(item, scrub);
      if (nextKey !== key || next !== item) changed = true;
      return [nextKey, next];
    });
    // fromEntries, not assignment: a "__proto__" key must stay a key, not become the prototype
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** The value with whatever sits at `path` replaced by the marker; arrays on the way are walked. */
export function redactPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = redactPath(item, path);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  const [head, ...rest] = path as [string, ...string[]];
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) return value;
  const next = rest.length === 0 ? REDACTED : redactPath(record[head], rest);
  if (next === record[head]) return value;
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, key === head ? next : item]));
}
