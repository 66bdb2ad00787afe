import { DEFAULT_SCHEMA, dump } from 'js-yaml';
import { CassetteFormatError } from '../errors.js';
import { isCall, isNote } from '../journal/timeline.js';
import type { CassetteData, Interaction, RecordedBy, StoredBody, StoredChunk, StoredResponse, TimelineEntry } from '../types.js';
import { formatPath, SchemaViolation, validateCassette } from './schema.js';
import { lineOf } from './yaml-lines.js';
import { readYaml, type YamlProblem } from './yaml-read.js';

export { CASSETTE_VERSION } from './schema.js';

/**
 * @note one library reads and writes cassettes, so that both sides agree on what a plain scalar
 * means: written with `yaml` and read with js-yaml, the string "0b11" was written bare and read
 * back as the number 3. js-yaml's writer quotes every string that a schema's implicit types would
 * take for something else; it checks against the default schema (YAML 1.2's core types plus
 * timestamps and merge keys), a superset of the JSON schema the reader uses, so any string it
 * leaves bare is read back as that string, and YAML 1.1 readers do not see dates or merge keys.
 * (js-yaml also parses about twelve times faster than `yaml`: docs/benchmarks.md.)
 */
const DUMP_OPTIONS = {
  schema: DEFAULT_SCHEMA,
  lineWidth: -1,
  noRefs: true,
  quotingType: '"',
} as const;

/**
 * Canonical text: keys in a fixed order (built below, never left to the input's order), request
 * JSON bodies key-sorted, response bodies in the provider's order (so they re-serialise exactly).
 */
export function encodeCassette(data: CassetteData): string {
  const doc = {
    // @note a version 1 file is written back as version 1 (re-encoding it gives its bytes); what a
    // session or a tool writes anew is the current version
    version: data.version,
    recordedWith: data.recordedWith,
    interactions: data.interactions.map(orderEntry),
  };
  return dump(doc, DUMP_OPTIONS);
}

const FIX = 'fix: repair it by hand, or delete it and re-record with --record=all';

/** Parses and validates a cassette's text; anything wrong is a CassetteFormatError naming the field and its line. */
export function decodeCassette(text: string, file: string): CassetteData {
  let raw: unknown;
  try {
    raw = readYaml(text);
  } catch (error) {
    const problem = error as YamlProblem;
    throw new CassetteFormatError(`cassettes: cannot read cassette ${file}${problem.line ? ` (line ${problem.line})` : ''}: ${problem.message}\n  ${FIX}`, {
      file,
      line: problem.line,
      cause: error,
    });
  }
  try {
    return validateCassette(raw);
  } catch (error) {
    if (!(error instanceof SchemaViolation)) throw error;
    const line = lineOf(text, error.path);
    const index = error.path[0] === 'interactions' && typeof error.path[1] === 'number' ? error.path[1] : undefined;
    const field = error.path.length === 0 ? undefined : formatPath(error.path);
    const where =
      index === undefined
        ? (field ?? 'its top level')
        : `interaction #${index}${describeRequest(raw, index)}${error.path.length > 2 ? `, field ${formatPath(error.path.slice(2))}` : ''}`;
    throw new CassetteFormatError(`cassettes: cassette ${file} is not a valid cassette: ${where}${line ? ` (line ${line})` : ''}: ${error.problem}\n  ${FIX}`, {
      file,
      line,
      interaction: index,
      field,
    });
  }
}

/** ` (POST https://…)` when the interaction's request says so. */
function describeRequest(raw: unknown, index: number): string {
  const request = (raw as { interactions?: { request?: { method?: unknown; url?: unknown } }[] }).interactions?.[index]?.request;
  if (typeof request?.method !== 'string' || typeof request.url !== 'string') return '';
  const url = request.url.length > 120 ? `${request.url.slice(0, 117)}...` : request.url;
  return ` (${request.method} ${url})`;
}

function orderEntry(entry: TimelineEntry): Record<string, unknown> {
  if (isCall(entry)) {
    const { call } = entry;
    return compact({
      key: entry.key,
      recordedAt: entry.recordedAt,
      test: entry.test && orderTest(entry.test),
      call: compact({
        name: call.name,
        input: sortDeep(call.input),
        output: call.output,
        error: call.error && compact({ name: call.error.name, message: call.error.message, code: call.error.code, data: call.error.data }),
        durationMs: call.durationMs,
      }),
    });
  }
  if (isNote(entry)) {
    return compact({
      recordedAt: entry.recordedAt,
      test: entry.test && orderTest(entry.test),
      note: compact({ label: entry.note.label, data: entry.note.data }),
    });
  }
  return orderInteraction(entry);
}

function orderTest(test: RecordedBy): Record<string, unknown> {
  return { file: test.file, name: test.name };
}

function orderInteraction(it: Interaction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (it.key !== undefined) out['key'] = it.key;
  out['recordedAt'] = it.recordedAt;
  if (it.test) out['test'] = orderTest(it.test);
  if (it.attempt !== undefined) out['attempt'] = it.attempt;
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
