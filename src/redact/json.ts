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
