/**
 * Body paths, the one syntax every option that names a place in a JSON body accepts
 * (`ignoreBodyFields`, `redact.bodyPaths`): dot-separated keys, `[n]` for an array index, `[*]`
 * for every item and `*` for every key. `metadata.request_id`,
 * `contents[*].parts[*].functionCall.id`, `messages[0].content`, `tools.*.description`.
 * @note a key applied to an array applies to each of its items, so `messages.content` also
 * works, as dotted paths always did.
 */
export type PathSegment = { key: string } | { index: number } | { any: true };

const cache = new Map<string, PathSegment[]>();

export function parsePath(path: string): PathSegment[] {
  const cached = cache.get(path);
  if (cached) return cached;
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[(?:\d+|\*)\])*)$/.exec(part);
    if (!match) throw new TypeError(`cassettes: cannot read the body path "${path}" (at "${part}"); write keys.like[0].this or items[*].id`);
    const [, key, brackets] = match;
    if (key === '*') segments.push({ any: true });
    else if (key) segments.push({ key });
    for (const [, inner] of brackets!.matchAll(/\[(\d+|\*)\]/g)) segments.push(inner === '*' ? { any: true } : { index: Number(inner) });
  }
  cache.set(path, segments);
  return segments;
}

/**
 * A copy of `value` with `edit` applied at every place the path reaches (`undefined` from `edit`
 * deletes the key or item). Places the path does not reach are left alone; `value` itself is
 * never changed.
 */
export function editPath(value: unknown, path: string, edit: (found: unknown) => unknown): unknown {
  return editAt(value, parsePath(path), 0, edit);
}

function editAt(value: unknown, segments: PathSegment[], at: number, edit: (found: unknown) => unknown): unknown {
  if (at === segments.length) return edit(value);
  if (value === null || typeof value !== 'object') return value;
  const segment = segments[at]!;
  if (Array.isArray(value)) {
    if ('index' in segment) {
      if (segment.index >= value.length) return value;
      const copy = value.slice();
      const next = editAt(copy[segment.index], segments, at + 1, edit);
      if (next === undefined && at + 1 === segments.length) copy.splice(segment.index, 1);
      else copy[segment.index] = next;
      return copy;
    }
    // [*], or a key applied to each item
    const step = 'any' in segment ? at + 1 : at;
    return value.map((item) => editAt(item, segments, step, edit)).filter((item) => item !== undefined || step !== segments.length);
  }
  const record = value as Record<string, unknown>;
  if ('index' in segment) return value;
  const keys = 'any' in segment ? Object.keys(record) : Object.hasOwn(record, segment.key) ? [segment.key] : [];
  if (keys.length === 0) return value;
  // fromEntries keeps a "__proto__" key a key
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(record)) {
    if (!keys.includes(key)) entries.push([key, item]);
    else {
      const next = editAt(item, segments, at + 1, edit);
      if (next !== undefined || at + 1 !== segments.length) entries.push([key, next]);
    }
  }
  return Object.fromEntries(entries);
}

/** `value` without what the paths reach. */
export function withoutPaths(value: unknown, paths: readonly string[]): unknown {
  let out = value;
  for (const path of paths) out = editPath(out, path, () => undefined);
  return out;
}
