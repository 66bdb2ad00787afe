import { isUtf8 } from 'node:buffer';
import { formsOf } from './forms.js';
import { REDACTED } from './rules.js';

/** Where a secret sits: [start, end), in characters of a text or bytes of a buffer. */
export type Range = readonly [start: number, end: number];

const MARKER_BYTES = Buffer.from(REDACTED);

/**
 * The secrets one redaction knows: literal values (in every form they travel in) and patterns.
 * Every secret found becomes one marker; overlapping finds merge first, so a secret that
 * overlaps another never leaves a piece of either behind (sequential replacement would).
 */
export class SecretSet {
  /** The raw values, as given. */
  readonly values: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
  private readonly texts: string[];
  /** The forms as UTF-8, made on the first search of bytes (recording; a replay searches text). */
  private encoded: Buffer[] | undefined;
  /** Stateless copies for `test()`: a global pattern's lastIndex would make it skip matches. */
  private readonly probes: RegExp[];
  /** Global copies for finding every match (lastIndex reset before each use). */
  private readonly globals: RegExp[];

  constructor(values: Iterable<string>, patterns: readonly RegExp[] = []) {
    const kept = new Set<string>();
    const forms = new Set<string>();
    for (const value of values) {
      const found = formsOf(value);
      if (found.length === 0) continue;
      kept.add(value);
      for (const form of found) forms.add(form);
    }
    this.values = kept;
    this.texts = [...forms].sort((a, b) => b.length - a.length);
    this.patterns = patterns;
    this.probes = patterns.map((pattern) => new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
    this.globals = patterns.map((pattern) => new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}g`));
  }

  /** The length in bytes of the longest form of any value (0 with none). */
  get longestForm(): number {
    this.encoded ??= this.texts.map((text) => Buffer.from(text));
    return this.encoded.reduce((longest, form) => Math.max(longest, form.length), 0);
  }

  get empty(): boolean {
    return this.texts.length === 0 && this.patterns.length === 0;
  }

  /** This set and these values too (itself when they add nothing). */
  with(values: Iterable<string>): SecretSet {
    const added = [...values].filter((value) => !this.values.has(value) && formsOf(value).length > 0);
    return added.length === 0 ? this : new SecretSet([...this.values, ...added], this.patterns);
  }

  /** Whether scrubbing could change this text. */
  mayMatch(text: string): boolean {
    for (const form of this.texts) if (text.includes(form)) return true;
    for (const probe of this.probes) if (probe.test(text)) return true;
    return false;
  }

  scrubText(text: string): string {
    if (!this.mayMatch(text)) return text;
    const ranges = merge([...literalRanges(text, this.texts), ...patternRanges(text, this.globals)]);
    if (ranges.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [start, end] of ranges) {
      out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  }

  /** Where secrets sit in these bytes, merged and in order. */
  byteRanges(bytes: Buffer): Range[] {
    if (this.empty || bytes.length === 0) return [];
    const found: Range[] = [];
    this.encoded ??= this.texts.map((text) => Buffer.from(text));
    for (const needle of this.encoded) {
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) found.push([at, at + needle.length]);
    }
    if (this.globals.length > 0) found.push(...bytePatternRanges(bytes, this.globals));
    return merge(found);
  }

  /** The bytes with every secret replaced; the same buffer when there was none. */
  scrubBytes(bytes: Buffer): Buffer {
    const ranges = this.byteRanges(bytes);
    return ranges.length === 0 ? bytes : replaceRanges(bytes, ranges);
  }
}

/** `bytes` with each range replaced by the marker. */
export function replaceRanges(bytes: Buffer, ranges: readonly Range[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    parts.push(bytes.subarray(at, start), MARKER_BYTES);
    at = end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

function literalRanges(text: string, forms: readonly string[]): Range[] {
  const found: Range[] = [];
  for (const form of forms) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) found.push([at, at + form.length]);
  }
  return found;
}

/** Every match of each pattern; `globals`: patterns with the g flag (and no y). */
function patternRanges(text: string, globals: readonly RegExp[]): Range[] {
  const found: Range[] = [];
  for (const global of globals) {
    global.lastIndex = 0;
    for (let match = global.exec(text); match !== null; match = global.exec(text)) {
      if (match[0].length === 0) {
        // an empty match replaces nothing, and would otherwise never advance
        global.lastIndex++;
        continue;
      }
      found.push([match.index, match.index + match[0].length]);
    }
  }
  return found;
}

/**
 * Patterns are written for text: they run on the decoded UTF-8 (offsets mapped back to bytes),
 * or, for bytes that are not UTF-8, on a latin1 reading where each byte is one character.
 */
function bytePatternRanges(bytes: Buffer, globals: readonly RegExp[]): Range[] {
  if (!isUtf8(bytes)) return patternRanges(bytes.toString('latin1'), globals);
  const text = bytes.toString('utf8');
  const ranges = patternRanges(text, globals);
  if (text.length === bytes.length || ranges.length === 0) return ranges;
  // non-ASCII: map character offsets to byte offsets in one pass over the sorted offsets
  const offsets = [...new Set(ranges.flat())].sort((a, b) => a - b);
  const toByte = new Map<number, number>();
  let chars = 0;
  let byteAt = 0;
  for (const offset of offsets) {
    byteAt += Buffer.byteLength(text.slice(chars, offset));
    chars = offset;
    toByte.set(offset, byteAt);
  }
  return ranges.map(([start, end]) => [toByte.get(start)!, toByte.get(end)!] as const);
}

/** Sorted, with overlapping ranges joined (adjacent ones stay apart: two secrets, two markers). */
export function merge(ranges: Range[]): Range[] {
  if (ranges.length <= 1) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = out[out.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
