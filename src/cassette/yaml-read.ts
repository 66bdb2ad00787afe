import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, type LoadOptions, load, type State, Type, YAMLException } from 'js-yaml';

/** Why a text is not a YAML document a cassette may be, with its 1-based line when known. */
export class YamlProblem extends Error {
  readonly line: number | undefined;
  constructor(reason: string, line: number | undefined, cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.line = line;
  }
}

// @note js-yaml exports its types; its type declarations do not say so
const { types } = jsYaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', Type> };

/** Characters a YAML 1.2 float can start with: a digit, a sign, a dot (`.5`, `.inf`, `.nan`). */
function mayBeFloat(data: string | null): boolean {
  if (data === null || data.length === 0) return false;
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/**
 * js-yaml's float type, with a look at the first character before its regular expression: every
 * plain scalar (keys included) is tried as a float, and most are words. The same strings resolve
 * (yaml-read.test.ts); a load of a large cassette takes ~5% less.
 */
export const FLOAT = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => mayBeFloat(data) && types.float.resolve(data),
  construct: (data: string) => types.float.construct(data),
  predicate: types.float.predicate as (data: object) => boolean,
  represent: types.float.represent as (data: object) => string,
  defaultStyle: types.float.defaultStyle as string,
});

/**
 * js-yaml's JSON schema (null, booleans, numbers and strings as YAML 1.2 reads them; no dates, no
 * custom tags), its float type checked faster. The writer (codec.ts) quotes every string this
 * schema would read as something else.
 */
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [types.null, types.bool, types.int, FLOAT] });

/**
 * @note maxDepth: js-yaml 4.3 stops at 100 levels by default, which a deeply nested request body
 * reaches; the parser's own recursion stays far from the stack's limit at 1,000.
 */
export const OPTIONS = { schema: SCHEMA, json: false, maxDepth: 1000 } as LoadOptions;

class AnchorFound extends Error {
  constructor(readonly anchor: string) {
    super(`anchor &${anchor}`);
  }
}

const GUARDED = {
  ...OPTIONS,
  listener(event: string, state: State): void {
    const anchor = (state as State & { anchor: string | null }).anchor;
    if (event === 'close' && anchor !== null) throw new AnchorFound(anchor);
  },
} as LoadOptions;

/**
 * Parses one YAML document. Anchors (`&name`) are refused, and with them every alias (`*name`):
 * the writer never makes them, and a few hundred bytes of nested aliases ("billion laughs")
 * expand into gigabytes once walked.
 */
export function readYaml(text: string): unknown {
  // @note the parse-event listener that spots an anchor costs ~6% of the parse: it runs only when
  // the text has an `&` where an anchor could start (most cassettes have none)
  const options = anchorCandidate(text, 0) === -1 ? OPTIONS : GUARDED;
  try {
    return load(text, options);
  } catch (error) {
    if (error instanceof AnchorFound) {
      return fail(
        `YAML anchors and aliases (&${error.anchor}) are not allowed in a cassette; write the value out in full`,
        lineAt(text, anchorOf(text, error.anchor)),
      );
    }
    if (error instanceof YAMLException) {
      // @note some problems (two documents in one file) come without a position
      const mark = (error as { mark?: { line?: number } }).mark;
      return fail(error.reason || error.message, typeof mark?.line === 'number' ? mark.line + 1 : undefined, error);
    }
    // the parser's own failures: a stack overflow on absurd nesting, and the like
    return fail(`the YAML parser failed: ${(error as Error)?.message ?? String(error)}`, undefined, error);
  }
}

function fail(reason: string, line: number | undefined, cause?: unknown): never {
  throw new YamlProblem(reason, line, cause);
}

/** Characters that may stand right before a node's properties (js-yaml's composeNode call sites). */
const BEFORE_PROPERTY = new Set([' ', '\t', '\n', '\r', '[', '{', ',', ':', '\uFEFF']);
const NOT_A_NAME = new Set([' ', '\t', '\n', '\r', ',', '[', ']', '{', '}']);

/**
 * The index of the first `&` that could start an anchor, or -1. Errs on the side of "could": a
 * false alarm (an `&` after a space inside a string) only makes the parse take the guarded path.
 */
function anchorCandidate(text: string, from: number): number {
  for (let i = text.indexOf('&', from); i !== -1; i = text.indexOf('&', i + 1)) {
    const before = i === 0 ? ' ' : text[i - 1]!;
    const after = text[i + 1];
    if (BEFORE_PROPERTY.has(before) && after !== undefined && !NOT_A_NAME.has(after)) return i;
  }
  return -1;
}

function anchorOf(text: string, name: string): number {
  for (let i = anchorCandidate(text, 0); i !== -1; i = anchorCandidate(text, i + 1)) {
    if (text.startsWith(name, i + 1) && (i + 1 + name.length === text.length || NOT_A_NAME.has(text[i + 1 + name.length]!))) return i;
  }
  return -1;
}

function lineAt(text: string, index: number): number | undefined {
  if (index < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
