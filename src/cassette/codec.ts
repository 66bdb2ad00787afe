import { JSON_SCHEMA, load, YAMLException } from 'js-yaml';
import { stringify } from 'yaml';
import { CassetteFormatError } from '../errors.js';
import type { CassetteData, Interaction, StoredBody, StoredChunk, StoredResponse } from '../types.js';

export const CASSETTE_VERSION = 1;

/**
 * Canonical text: keys in a fixed order (built below, never left to the input's order), request
 * JSON bodies key-sorted, response bodies in the provider's order (so they re-serialise exactly).
 */
export function encodeCassette(data: CassetteData): string {
  const doc = {
    version: CASSETTE_VERSION,
    recordedWith: data.recordedWith,
    interactions: data.interactions.map(orderInteraction),
  };
  return stringify(doc, {
    lineWidth: 0,
    minContentWidth: 0,
    blockQuote: 'literal',
    aliasDuplicateObjects: false,
    indentSeq: true,
  });
}

/**
 * @note read with js-yaml's JSON schema (no dates, no custom tags; aliases are shared, never
 * expanded) and written with `yaml`, whose output we control finely: js-yaml parses about twelve
 * times faster (docs/benchmarks.md), and loading a cassette is on every test's path.
 */
export function decodeCassette(text: string, file: string): CassetteData {
  let raw: unknown;
  try {
    raw = load(text, { schema: JSON_SCHEMA, filename: file, json: false });
  } catch (error) {
    const line = error instanceof YAMLException ? error.mark.line + 1 : undefined;
    const reason = error instanceof YAMLException ? error.reason : (error as Error).message;
    throw new CassetteFormatError(
      `cassettes: cannot read cassette ${file}${line ? ` (line ${line})` : ''}: ${reason}\n` +
        `  fix: repair the YAML by hand, or delete the file and re-record it with --record=all`,
      { file, line, cause: error },
    );
  }
  return validate(raw, file);
}

function validate(raw: unknown, file: string): CassetteData {
  const fail = (what: string): never => {
    throw new CassetteFormatError(
      `cassettes: cassette ${file} is not a valid cassette file: ${what}\n  fix: repair it by hand, or delete it and re-record with --record=all`,
      { file },
    );
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('the top level must be a mapping');
  const doc = raw as Record<string, unknown>;
  if (doc['version'] !== CASSETTE_VERSION) {
    return fail(
      `unknown version ${JSON.stringify(doc['version'])} (this version of the cassettes package reads version ${CASSETTE_VERSION}; upgrade it if the file is newer)`,
    );
  }
  const interactions = doc['interactions'] ?? [];
  if (!Array.isArray(interactions)) return fail('`interactions` must be a list');
  interactions.forEach((item: unknown, i) => {
    const it = item as Partial<Interaction> | null;
    if (!it || typeof it !== 'object') fail(`interaction #${i} is not a mapping`);
    const request = it!.request;
    if (!request || typeof request.method !== 'string' || typeof request.url !== 'string') {
      fail(`interaction #${i} needs request.method and request.url`);
    }
    if (it!.response === undefined && it!.error === undefined) fail(`interaction #${i} has neither response nor error`);
    if (it!.response && typeof it!.response.status !== 'number') fail(`interaction #${i} has no numeric response.status`);
    request!.headers ??= {};
    if (it!.response) it!.response.headers ??= {};
  });
  return {
    version: CASSETTE_VERSION,
    recordedWith: typeof doc['recordedWith'] === 'string' ? doc['recordedWith'] : 'unknown',
    interactions: interactions as Interaction[],
  };
}

function orderInteraction(it: Interaction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (it.key !== undefined) out['key'] = it.key;
  out['recordedAt'] = it.recordedAt;
  out['request'] = compact({
    method: it.request.method,
    url: it.request.url,
    headers: sortRecord(it.request.headers),
    body: it.request.body && orderBody(it.request.body, true),
  });
  if (it.response) out['response'] = orderResponse(it.response);
  if (it.error) out['error'] = compact({ name: it.error.name, code: it.error.code, message: it.error.message, atMs: it.error.atMs });
  return out;
}

function orderResponse(r: StoredResponse): Record<string, unknown> {
  return compact({
    status: r.status,
    statusText: r.statusText,
    headers: sortRecord(r.headers),
    contentEncoding: r.contentEncoding,
    headersAtMs: r.headersAtMs,
    body: r.body && orderBody(r.body, false),
    chunks: r.chunks?.map(orderChunk),
    end: r.end && compact({ ...r.end }),
  });
}

function orderChunk(c: StoredChunk): Record<string, unknown> {
  return compact({ atMs: c.atMs, eol: c.eol, events: c.events?.map((e) => compact({ ...e })), text: c.text, base64: c.base64 });
}

function orderBody(body: StoredBody, sortKeys: boolean): Record<string, unknown> {
  if ('json' in body) return compact({ json: sortKeys ? sortDeep(body.json) : body.json, format: body.format });
  return { ...body };
}

function sortRecord<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortDeep(v)]),
    );
  }
  return value;
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
