import stableStringify from 'fast-json-stable-stringify';
import type { CanonicalRequest } from './request-key.js';

const MAX_LINES = 12;

/** Field-by-field differences from a recorded request to the live one, `path: old → new`. */
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
  if (lines.length > MAX_LINES) {
    const more = lines.length - MAX_LINES;
    return [...lines.slice(0, MAX_LINES), `… and ${more} more difference${more === 1 ? '' : 's'}`];
  }
  return lines;
}

/** How many top-level parts two requests share; picks the closest recorded one. */
export function similarity(a: CanonicalRequest, b: CanonicalRequest): number {
  let score = 0;
  if (a.method === b.method) score += 4;
  if (a.origin === b.origin) score += 2;
  if (a.path === b.path) score += 8;
  score -= Math.min(diffCanonical(a, b).length, 8) * 0.5;
  return score;
}

function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (stableStringify(a ?? null) === stableStringify(b ?? null)) return;
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diffValue(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (bothArrays && a.length === b.length) {
    for (const [i, item] of a.entries()) diffValue(`${path}[${i}]`, item, b[i], out);
    return;
  }
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
