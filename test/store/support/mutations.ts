/**
 * Ways to damage a cassette, as fast-check arbitraries: edits of the parsed document (a field
 * set to another value, removed, renamed; the fields replay depends on set to what breaks
 * clients) and edits of the text itself (bytes inserted or removed, a cut, a second document,
 * alias bombs, tags).
 */
import fc from 'fast-check';
import { dump, JSON_SCHEMA, load } from 'js-yaml';

type Path = (string | number)[];

export type Mutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'rename'; pick: number; name: string }
  | { kind: 'target'; field: Target; pick: number; value: unknown }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'remove'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'second-document' }
  | { kind: 'alias-bomb'; levels: number; where: number }
  | { kind: 'tag'; at: number; tag: string };

const TARGETS = [
  'status',
  'header-name',
  'header-value',
  'status-text',
  'url',
  'method',
  'base64',
  'chunks',
  'body',
  'recordedAt',
  'atMs',
  'events',
  'end',
] as const;
type Target = (typeof TARGETS)[number];

const odd = fc.constantFrom<unknown>(
  null,
  '',
  'x',
  [],
  {},
  0,
  -1,
  99,
  101,
  199,
  200,
  204,
  304,
  600,
  999,
  1e21,
  1.5,
  '200',
  '\n',
  'a\r\nb',
  'é✓',
  '\u0000',
  'not a url',
  'http://',
  '%%%',
  '8J+Y!',
  'abc',
  true,
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  odd,
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), name: fc.string({ maxLength: 6 }) }),
  { arbitrary: fc.record({ kind: fc.constant('target' as const), field: fc.constantFrom(...TARGETS), pick: fc.nat(), value }), weight: 4 },
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom(':', '- ', '\n', '\t', '"', "'", '{', ']', '#', '&a ', '*a', '!!', '\n---\n', '\ufeff', '\0'),
    ),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.constant({ kind: 'second-document' as const }),
  fc.record({ kind: fc.constant('alias-bomb' as const), levels: fc.integer({ min: 2, max: 12 }), where: fc.nat() }),
  fc.record({
    kind: fc.constant('tag' as const),
    at: fc.nat(),
    tag: fc.constantFrom('!!binary ', '!!js/function ', '!custom ', '!!timestamp ', '!!set ', '!!omap ', '!!str ', '!!int '),
  }),
);

/** Applies the mutations in turn; structural ones on the parsed text (skipped when it no longer parses). */
export function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) out = apply(out, m);
  return out;
}

function apply(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'remove': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'duplicate-line': {
      const lines = text.split('\n');
      const at = m.at % lines.length;
      lines.splice(at, 0, lines[at]!);
      return lines.join('\n');
    }
    case 'second-document':
      return `${text}\n---\n${text}`;
    case 'alias-bomb': {
      const levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < m.levels; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
      const bomb = `${levels.join('\n')}\n`;
      // at the top, or as the value of a field somewhere
      if (m.where % 2 === 0) return `${bomb}${text}`;
      const withAlias = structural(text, (doc, paths) => {
        const path = paths[m.where % paths.length];
        if (path) setAt(doc, path, `__BOMB_${m.levels - 1}__`);
      }).replace(/"?__BOMB_(\d+)__"?/, (_all, n: string) => `*a${n}`);
      return `${bomb}${withAlias}`;
    }
    case 'tag': {
      const lines = text.split('\n');
      const at = m.at % lines.length;
      lines[at] = lines[at]!.replace(/: /, `: ${m.tag}`);
      return lines.join('\n');
    }
    case 'set':
      return structural(text, (doc, paths) => {
        const path = paths[m.pick % paths.length];
        if (path) setAt(doc, path, m.value);
      });
    case 'delete':
      return structural(text, (doc, paths) => {
        const path = paths[m.pick % paths.length];
        if (path) deleteAt(doc, path);
      });
    case 'rename':
      return structural(text, (doc, paths) => {
        const keyed = paths.filter((p) => typeof p[p.length - 1] === 'string');
        const path = keyed[m.pick % keyed.length];
        if (path) renameAt(doc, path, m.name);
      });
    case 'target':
      return structural(text, (doc, paths) => {
        const candidates = paths.filter((p) => targets(m.field, p));
        const path = candidates[m.pick % candidates.length];
        if (!path) return;
        if (m.field === 'header-name') renameAt(doc, path, typeof m.value === 'string' ? m.value : String(m.value));
        else setAt(doc, path, m.value);
      });
  }
}

function targets(field: Target, path: Path): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const inResponse = path[2] === 'response';
  switch (field) {
    case 'status':
      return inResponse && last === 'status';
    case 'header-name':
    case 'header-value':
      return inResponse && parent === 'headers';
    case 'status-text':
      return last === 'statusText';
    case 'url':
      return last === 'url';
    case 'method':
      return last === 'method';
    case 'base64':
      return last === 'base64';
    case 'chunks':
      return last === 'chunks';
    case 'body':
      return last === 'body';
    case 'recordedAt':
      return last === 'recordedAt';
    case 'atMs':
      return last === 'atMs' || last === 'headersAtMs';
    case 'events':
      return last === 'events' || parent === 'events';
    case 'end':
      return last === 'end' || (parent === 'end' && last === 'state');
  }
}

function structural(text: string, edit: (doc: unknown, paths: Path[]) => void): string {
  let doc: unknown;
  try {
    doc = load(text, { schema: JSON_SCHEMA });
  } catch {
    return text;
  }
  if (doc === null || typeof doc !== 'object') return text;
  const paths: Path[] = [];
  // an earlier mutation's alias bomb: walking or writing it out would expand it
  if (!collect(doc, [], paths, new WeakSet())) return text;
  edit(doc, paths);
  return dump(doc, { schema: JSON_SCHEMA, lineWidth: -1, noRefs: true });
}

/** Whether no object appears twice in `doc` (no alias: walking it is safe). */
export function aliasFree(doc: unknown): boolean {
  return collect(doc, [], [], new WeakSet());
}

/** Every path in `value`; false when an object appears twice (an alias). */
function collect(value: unknown, path: Path, out: Path[], seen: WeakSet<object>): boolean {
  if (path.length > 0) out.push(path);
  if (value === null || typeof value !== 'object') return true;
  if (seen.has(value)) return false;
  seen.add(value);
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  for (const [key, item] of entries) if (!collect(item, [...path, key], out, seen)) return false;
  return true;
}

function parentOf(doc: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = doc as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  return node;
}

function setAt(doc: unknown, path: Path, value: unknown): void {
  const parent = parentOf(doc, path);
  if (parent) define(parent, path[path.length - 1]!, structuredClone(value));
}

function deleteAt(doc: unknown, path: Path): void {
  const parent = parentOf(doc, path);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else if (parent) delete parent[last];
}

function renameAt(doc: unknown, path: Path, name: string): void {
  const parent = parentOf(doc, path);
  const last = path[path.length - 1]!;
  if (!parent || Array.isArray(parent) || name === last) return;
  const entries = Object.entries(parent).map(([k, v]): [string, unknown] => (k === last ? [name, v] : [k, v]));
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) define(parent, k, v);
}

/** `__proto__` included: a plain assignment of it would set the prototype. */
function define(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
