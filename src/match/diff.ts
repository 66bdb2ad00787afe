import stableStringify from 'fast-json-stable-stringify';
import type { CanonicalRequest } from './request-key.js';

/** How many differences a miss message shows; the rest are counted. */
export const SHOWN_DIFFERENCES = 12;

/**
 * Field-by-field differences from a recorded request to the live one, `path: old → new`, one per
 * differing leaf (an array item present on one side only is one difference).
 */
export function diffCanonical(recorded: CanonicalRequest, live: CanonicalRequest): string[] {
  const lines: string[] = [];
  if (recorded.method !== live.method) lines.push(`method: ${recorded.method} → ${live.method}`);
  if (recorded.origin !== live.origin) lines.push(`origin: ${recorded.origin} → ${live.origin}`);
  if (recorded.path !== live.path) lines.push(`path: ${recorded.path} → ${live.path}`);
  const rq = new URLSearchParams(recorded.query).toString();
  const lq = new URLSearchParams(live.query).toString();
  if (rq !== lq) lines.push(`query: ${rq || '(none)'} → ${lq || '(none)'}`);
  diffValue('header', Object.fromEntries(recorded.headers), Object.fromEntries(live.headers), lines);
  diffValue('body', recorded.body, live.body, lines);
  return lines;
}

/** The first SHOWN_DIFFERENCES lines, and a count of the rest. */
export function shownDifferences(lines: string[]): string[] {
  if (lines.length <= SHOWN_DIFFERENCES) return lines;
  const more = lines.length - SHOWN_DIFFERENCES;
  return [...lines.slice(0, SHOWN_DIFFERENCES), `… and ${more} more difference${more === 1 ? '' : 's'}`];
}

/**
 * How far a recorded request is from a live one: the number of differing leaf values (an item
 * present on one side only counts every leaf it holds), with a different method or path
 * outweighing any number of body differences. The closest recording is then the one a person
 * would call "the same request, slightly changed" (a turn whose tool-call ids differ), not a
 * shorter conversation that merely lacks the last turns.
 */
export function distance(recorded: CanonicalRequest, live: CanonicalRequest): number {
  let far = 0;
  if (recorded.method !== live.method) far += 1_000_000;
  if (recorded.path !== live.path) far += 1_000_000;
  if (recorded.origin !== live.origin) far += 1;
  if (new URLSearchParams(recorded.query).toString() !== new URLSearchParams(live.query).toString()) far += 1;
  return far + leafDistance(Object.fromEntries(recorded.headers), Object.fromEntries(live.headers)) + leafDistance(recorded.body, live.body);
}

function leafDistance(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return leaves(b);
  if (b === undefined) return leaves(a);
  if (isPlainObject(a) && isPlainObject(b)) {
    let sum = 0;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) sum += leafDistance(a[key], b[key]);
    return sum;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    let sum = 0;
    for (let i = 0; i < Math.max(a.length, b.length); i++) sum += leafDistance(a[i], b[i]);
    return sum;
  }
  return stableStringify(a) === stableStringify(b) ? 0 : 1;
}

function leaves(value: unknown): number {
  if (isPlainObject(value))
    return Math.max(
      1,
      Object.values(value).reduce<number>((n, v) => n + leaves(v), 0),
    );
  if (Array.isArray(value))
    return Math.max(
      1,
      value.reduce<number>((n, v) => n + leaves(v), 0),
    );
  return 1;
}

function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (a === b) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diffValue(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) diffValue(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  if (stableStringify(a ?? null) === stableStringify(b ?? null) && (a === undefined) === (b === undefined)) return;
  out.push(`${path.replace(/^body\./, '')}: ${show(a)} → ${show(b)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
