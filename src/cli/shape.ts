/** The JSON types a field can have; `text` and `bytes` stand for bodies that are not JSON. */
export type FieldType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'text' | 'bytes';

/**
 * The structure of JSON values, values left out: each field's path (`choices[].delta.content`)
 * and the types seen there. Array elements share one path (`[]`), so a list's length is not
 * structure, nor are the values themselves.
 */
export type Shape = Map<string, Set<FieldType>>;

export function shapeOf(values: readonly unknown[]): Shape {
  const shape: Shape = new Map();
  for (const value of values) addShape(shape, value, '');
  return shape;
}

export function addShape(shape: Shape, value: unknown, path: string): void {
  const type = typeOf(value);
  const seen = shape.get(path);
  if (seen) seen.add(type);
  else shape.set(path, new Set([type]));
  if (type === 'array') for (const item of value as unknown[]) addShape(shape, item, `${path}[]`);
  else if (type === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) addShape(shape, item, `${path}${fieldName(key, path === '')}`);
  }
}

/** A stand-in for a value that is not JSON, so that a body turning from JSON to text is seen. */
export function opaque(type: 'text' | 'bytes'): { readonly opaque: 'text' | 'bytes' } {
  return { opaque: type };
}

function typeOf(value: unknown): FieldType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const marker = (value as { opaque?: unknown }).opaque;
    return marker === 'text' || marker === 'bytes' ? marker : 'object';
  }
  const type = typeof value;
  return type === 'boolean' || type === 'number' || type === 'string' ? type : 'null';
}

/** `key`, or `["odd key"]` when the key would not read as one path segment. */
function fieldName(key: string, top: boolean): string {
  if (/^[A-Za-z_$@][\w$@-]*$/.test(key)) return top ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

export interface ShapeChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** Types before (removed, changed). */
  before?: string;
  /** Types after (added, changed). */
  after?: string;
}

/**
 * What changed between two shapes: fields added or removed (only the outermost one of a
 * subtree that came or went), and fields whose set of types changed.
 */
export function compareShapes(before: Shape, after: Shape): ShapeChange[] {
  const changes: ShapeChange[] = [];
  const under = (path: string, roots: readonly string[]): boolean =>
    roots.some((root) => root === '' || (path.startsWith(root) && /^[.[]/.test(path.slice(root.length))));
  const added: string[] = [];
  const removed: string[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(path);
    const now = after.get(path);
    if (!old) {
      if (!under(path, added)) changes.push({ path, kind: 'added', after: types(now!) });
      added.push(path);
    } else if (!now) {
      if (!under(path, removed)) changes.push({ path, kind: 'removed', before: types(old) });
      removed.push(path);
    } else if (types(old) !== types(now)) {
      changes.push({ path, kind: 'changed', before: types(old), after: types(now) });
    }
  }
  return changes;
}

function types(set: Set<FieldType>): string {
  return [...set].sort().join('|');
}

export function describeChange(change: ShapeChange): string {
  const path = change.path === '' ? '(the whole value)' : change.path;
  if (change.kind === 'added') return `+ ${path} (${change.after})`;
  if (change.kind === 'removed') return `- ${path} (${change.before})`;
  return `~ ${path}: ${change.before} → ${change.after}`;
}
