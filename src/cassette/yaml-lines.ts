import { type LoadOptions, load, type State } from 'js-yaml';
import { OPTIONS } from './yaml-read.js';

type Path = readonly (string | number)[];

/** Above this, the tree of a whole file would take hundreds of MB: only the interaction's lines are parsed again. */
const WHOLE_TEXT_LIMIT = 1_000_000;

/**
 * The 1-based line of the value at `path` in a text readYaml() accepted (of a mapping entry: its
 * key's line), or of its deepest ancestor found. Used only to word an error: it parses the text
 * (or, in a large file, the lines of the one interaction) again, noting where each node starts.
 */
export function lineOf(text: string, path: Path): number | undefined {
  if (text.length <= WHOLE_TEXT_LIMIT || path[0] !== 'interactions' || typeof path[1] !== 'number') return lineInTree(text, path);
  const span = interactionLines(text, path[1]);
  if (!span) return undefined;
  const lines = (Number.isFinite(span.end) ? text.split('\n', span.end) : text.split('\n')).slice(span.start);
  const inner = lineInTree(lines.join('\n'), [0, ...path.slice(2)]);
  return inner === undefined ? span.start + 1 : span.start + inner;
}

interface Node {
  line: number;
  kids: Node[];
  result: unknown;
}

function lineInTree(text: string, path: Path): number | undefined {
  const top: Node = { line: 0, kids: [], result: undefined };
  const stack: Node[] = [top];
  try {
    load(text, {
      ...OPTIONS,
      listener(event: string, state: State): void {
        if (event === 'open') {
          const node: Node = { line: state.line, kids: [], result: undefined };
          stack[stack.length - 1]!.kids.push(node);
          stack.push(node);
        } else {
          stack.pop()!.result = state.result;
        }
      },
    } as LoadOptions);
  } catch {
    return undefined;
  }
  let node = top.kids[0];
  // an empty document
  if (!node) return 1;
  let line = node.line;
  for (const part of path) {
    node = unwrap(node);
    let next: Node | undefined;
    if (typeof part === 'number') {
      next = node.kids[part];
      if (next) line = next.line;
    } else {
      for (let i = 0; i + 1 < node.kids.length; i += 2) {
        if (node.kids[i]!.result === part) {
          line = node.kids[i]!.line;
          next = node.kids[i + 1];
          break;
        }
      }
    }
    if (!next) break;
    node = next;
  }
  return line + 1;
}

/** js-yaml composes some collections inside a node of the same value (a flow mapping tried as a key first). */
function unwrap(node: Node): Node {
  let current = node;
  while (current.kids.length === 1 && current.kids[0]!.result === current.result && typeof current.result === 'object') current = current.kids[0]!;
  return current;
}

class Found extends Error {}

/**
 * The 0-based lines [start, end) of interaction `index` of a block-style cassette, from the parse
 * events of the top three levels only (the top-level mapping, its entries, the interactions).
 */
function interactionLines(text: string, index: number): { start: number; end: number } | undefined {
  let depth = 0;
  let topKids = 0;
  let interactionsKey = false;
  let inInteractions = false;
  let items = 0;
  let start: number | undefined;
  let end: number | undefined;
  try {
    load(text, {
      ...OPTIONS,
      listener(event: string, state: State): void {
        if (event === 'open') {
          depth++;
          if (depth === 2) inInteractions = topKids++ % 2 === 1 && interactionsKey;
          if (depth === 3 && inInteractions) {
            if (items === index) start = state.line;
            if (items === index + 1) {
              end = state.line;
              throw new Found();
            }
            items++;
          }
        } else {
          if (depth === 2 && topKids % 2 === 1) interactionsKey = state.result === 'interactions';
          depth--;
        }
      },
    } as LoadOptions);
  } catch (error) {
    if (!(error instanceof Found)) return undefined;
  }
  if (start === undefined) return undefined;
  return { start, end: end ?? Number.POSITIVE_INFINITY };
}
