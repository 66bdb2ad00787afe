import type { CassetteData, TimelineEntry } from '../types.js';

/** The version written; version 1 files (HTTP exchanges only) still load. */
export const CASSETTE_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

/** Where a parsed cassette breaks its schema: the path of the field and what is wrong with it. */
export class SchemaViolation extends Error {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  constructor(path: readonly (string | number)[], problem: string) {
    super(path.length > 0 ? `${formatPath(path)}: ${problem}` : problem);
    this.path = path;
    this.problem = problem;
  }
}

/** `interactions[3].response.status`; empty for the top level. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

// @note the rules below are what replay needs to be safe, not a restatement of TypeScript types:
// a status fetch accepts, header names and values the Headers class accepts (anything else made
// `fetch` throw inside the replay, and the SDK waited for an answer that never came), URLs that
// parse, base64 that decodes. They follow undici's checks (lib/web/fetch/util.js).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value as a ByteString without NUL, CR or LF (surrounding whitespace is trimmed by Headers). */
const HEADER_VALUE = /^[^\0\n\r\u0100-\uffff]*$/;
/** reason-phrase = *( HTAB / SP / VCHAR / obs-text ) */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Statuses whose responses have no body (fetch refuses to build one with a body). */
const NULL_BODY_STATUS = new Set([204, 205, 304]);

type Fields = Record<string, unknown>;

/**
 * @note longer than this project's ~300 lines on purpose: one walk over the whole format, field by
 * field, so that every rule sits beside the field it checks and the path of a bad field is built
 * as the walk goes. Split by level, the path bookkeeping would be repeated in every part.
 *
 * Checks a parsed cassette against the format (docs/cassette-format.md) and returns it typed.
 * Fills the defaults a hand-written file may leave out (`headers: {}`). Throws a SchemaViolation
 * naming the first bad field.
 *
 * @note hand-written rather than a schema library: it runs on every test's path (load
 * throughput is benchmarked, scenario B) and most of its rules are checks no JSON-schema keyword
 * expresses (header syntax as fetch sees it, parseable URLs, valid base64, a status without a
 * body). JSON bodies and `data` of events are left as they are: any JSON value is valid there.
 */
export function validateCassette(raw: unknown): CassetteData {
  const v = new Validator();
  return v.cassette(raw);
}

class Validator {
  /** The path of the value being checked, pushed and popped as the walk goes. */
  private readonly path: (string | number)[] = [];
  private readonly urls = new Set<string>();
  /** Header names already found valid: a cassette repeats the same few. */
  private readonly names = new Set<string>();

  fail(problem: string, last?: string | number): never {
    const path = last === undefined ? [...this.path] : [...this.path, last];
    throw new SchemaViolation(path, problem);
  }

  cassette(raw: unknown): CassetteData {
    const doc = this.mapping(raw, 'the top level must be a mapping (version, recordedWith, interactions)');
    for (const key in doc) if (key !== 'version' && key !== 'recordedWith' && key !== 'interactions') this.unknown(key, 'version, recordedWith, interactions');
    if (!READABLE_VERSIONS.includes(doc['version'])) {
      this.fail(
        `unknown version ${shown(doc['version'])} (this version of the cassettes package reads versions ${READABLE_VERSIONS.join(' and ')}; upgrade it if the file is newer)`,
        'version',
      );
    }
    const recordedWith = doc['recordedWith'];
    if (recordedWith !== undefined && typeof recordedWith !== 'string') this.fail(`must be a string, found ${shown(recordedWith)}`, 'recordedWith');
    let interactions = doc['interactions'];
    if (interactions === undefined || interactions === null) interactions = [];
    if (!Array.isArray(interactions)) this.fail(`must be a list, found ${shown(interactions)}`, 'interactions');
    this.path.push('interactions');
    for (let i = 0; i < interactions.length; i++) {
      this.path.push(i);
      this.interaction(interactions[i]);
      this.path.pop();
    }
    this.path.pop();
    return { version: doc['version'] as 1 | 2, recordedWith: (recordedWith as string | undefined) ?? 'unknown', interactions: interactions as TimelineEntry[] };
  }

  /** One timeline entry: an HTTP exchange, a call or a note. */
  private interaction(raw: unknown): void {
    const it = this.mapping(raw);
    if ('call' in it) {
      this.callEntry(it);
      return;
    }
    if ('note' in it) {
      this.noteEntry(it);
      return;
    }
    let hasResponse = false;
    let hasError = false;
    for (const key in it) {
      const value = it[key];
      switch (key) {
        case 'key':
          this.string(value, key);
          break;
        case 'recordedAt':
          this.string(value, key);
          if (Number.isNaN(Date.parse(value as string))) this.fail(`must be an ISO 8601 date, found ${shown(value)}`, key);
          break;
        case 'test':
          this.enter(key, () => this.test(value));
          break;
        case 'attempt':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 2)
            this.fail(`must be a whole number from 2 (a retry), found ${shown(value)}`, key);
          break;
        case 'request':
          this.enter(key, () => this.request(value));
          break;
        case 'response':
          hasResponse = true;
          this.enter(key, () => this.response(value));
          break;
        case 'error':
          hasError = true;
          this.enter(key, () => this.networkError(value, true));
          break;
        default:
          this.unknown(key, 'key, recordedAt, test, attempt, request, response, error (or call / note for a journal entry)');
      }
    }
    if (it['recordedAt'] === undefined) this.fail('is missing (when the interaction was recorded, ISO 8601)', 'recordedAt');
    if (it['request'] === undefined) this.fail('is missing', 'request');
    if (hasResponse === hasError)
      this.fail(hasResponse ? 'an interaction has either a response or an error, not both' : 'an interaction needs a response or an error');
  }

  /** `recordedAt` and `test`, shared by every kind of entry; false for any other key. */
  private common(it: Fields, key: string): boolean {
    const value = it[key];
    if (key === 'recordedAt') {
      this.string(value, key);
      if (Number.isNaN(Date.parse(value as string))) this.fail(`must be an ISO 8601 date, found ${shown(value)}`, key);
      return true;
    }
    if (key === 'test') {
      this.enter(key, () => this.test(value));
      return true;
    }
    return false;
  }

  private test(raw: unknown): void {
    const test = this.mapping(raw);
    for (const key in test) {
      if (key !== 'file' && key !== 'name') this.unknown(key, 'file, name');
      this.string(test[key], key);
    }
    if (test['file'] === undefined) this.fail('is missing', 'file');
    if (test['name'] === undefined) this.fail('is missing', 'name');
  }

  private callEntry(it: Fields): void {
    for (const key in it) {
      if (this.common(it, key)) continue;
      if (key === 'key') this.string(it[key], key);
      else if (key === 'call') this.enter(key, () => this.call(it[key]));
      else this.unknown(key, 'key, recordedAt, test, call');
    }
    if (it['recordedAt'] === undefined) this.fail('is missing (when the call was recorded, ISO 8601)', 'recordedAt');
  }

  private call(raw: unknown): void {
    const call = this.mapping(raw);
    for (const key in call) {
      const value = call[key];
      switch (key) {
        case 'name':
          this.string(value, key);
          break;
        case 'input':
        case 'output':
          break;
        case 'durationMs':
          this.time(value, key);
          break;
        case 'error': {
          this.enter(key, () => {
            const error = this.mapping(value);
            for (const field in error) {
              if (field === 'name' || field === 'message') this.string(error[field], field);
              else if (field === 'code') {
                if (typeof error[field] !== 'string' && typeof error[field] !== 'number')
                  this.fail(`must be a string or a number, found ${shown(error[field])}`, field);
              } else if (field === 'data') this.mapping(error[field]);
              else this.unknown(field, 'name, message, code, data');
            }
            if (error['message'] === undefined) this.fail('is missing', 'message');
            error['name'] ??= 'Error';
          });
          break;
        }
        default:
          this.unknown(key, 'name, input, output, error, durationMs');
      }
    }
    if (call['name'] === undefined) this.fail('is missing', 'name');
    call['durationMs'] ??= 0;
  }

  private noteEntry(it: Fields): void {
    for (const key in it) {
      if (this.common(it, key)) continue;
      if (key !== 'note') this.unknown(key, 'recordedAt, test, note');
      this.enter(key, () => {
        const note = this.mapping(it[key]);
        for (const field in note) {
          if (field === 'label') this.string(note[field], field);
          else if (field !== 'data') this.unknown(field, 'label, data');
        }
        if (note['label'] === undefined) this.fail('is missing', 'label');
      });
    }
    if (it['recordedAt'] === undefined) this.fail('is missing (when the note was written, ISO 8601)', 'recordedAt');
  }

  /** A stream's read-only summary: text and tool calls (replay ignores it). */
  private summary(raw: unknown): void {
    const summary = this.mapping(raw);
    for (const key in summary) {
      const value = summary[key];
      if (key === 'text') this.string(value, key);
      else if (key === 'toolCalls') {
        if (!Array.isArray(value)) this.fail(`must be a list, found ${shown(value)}`, key);
        this.enter(key, () => {
          for (const [i, item] of (value as unknown[]).entries()) {
            this.enter(i, () => {
              const call = this.mapping(item);
              for (const field in call) {
                if (field !== 'name' && field !== 'arguments') this.unknown(field, 'name, arguments');
                this.string(call[field], field);
              }
            });
          }
        });
      } else this.unknown(key, 'text, toolCalls');
    }
  }

  private request(raw: unknown): void {
    const request = this.mapping(raw);
    for (const key in request) {
      const value = request[key];
      switch (key) {
        case 'method':
          this.string(value, key);
          if (!TOKEN.test(value as string)) this.fail(`must be an HTTP method, found ${shown(value)}`, key);
          break;
        case 'url':
          this.url(value, key);
          break;
        case 'headers':
          this.requestHeaders(value, key);
          break;
        case 'body':
          this.enter(key, () => this.body(value));
          break;
        default:
          this.unknown(key, 'method, url, headers, body');
      }
    }
    if (request['method'] === undefined) this.fail('is missing', 'method');
    if (request['url'] === undefined) this.fail('is missing', 'url');
    request['headers'] ??= {};
  }

  private response(raw: unknown): void {
    const response = this.mapping(raw);
    for (const key in response) {
      const value = response[key];
      switch (key) {
        case 'status':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 200 || value > 599) {
            this.fail(`must be an HTTP status from 200 to 599, found ${shown(value)}`, key);
          }
          break;
        case 'statusText':
          this.string(value, key);
          if (!REASON_PHRASE.test(value as string)) this.fail(`must be one line of Latin-1 text, found ${shown(value)}`, key);
          break;
        case 'headers':
          this.enter(key, () => this.responseHeaders(value));
          break;
        case 'contentEncoding':
          this.string(value, key);
          break;
        case 'headersAtMs':
          this.time(value, key);
          break;
        case 'body':
          this.enter(key, () => this.body(value));
          break;
        case 'chunks':
          this.enter(key, () => this.chunks(value));
          break;
        case 'summary':
          this.enter(key, () => this.summary(value));
          break;
        case 'end':
          this.enter(key, () => this.end(value));
          break;
        default:
          this.unknown(key, 'status, statusText, headers, contentEncoding, headersAtMs, body, summary, chunks, end');
      }
    }
    const status = response['status'];
    if (status === undefined) this.fail('is missing', 'status');
    if (response['body'] !== undefined && response['chunks'] !== undefined) this.fail('a response has either a body or chunks, not both', 'chunks');
    if (NULL_BODY_STATUS.has(status as number) && (response['body'] !== undefined || (response['chunks'] as unknown[] | undefined)?.length)) {
      this.fail(`a ${status} response has no body`, response['body'] !== undefined ? 'body' : 'chunks');
    }
    response['headers'] ??= {};
  }

  private requestHeaders(raw: unknown, key: string): void {
    this.path.push(key);
    const headers = this.mapping(raw);
    for (const name in headers) if (typeof headers[name] !== 'string') this.fail(`must be a string, found ${shown(headers[name])}`, name);
    this.path.pop();
  }

  private responseHeaders(raw: unknown): void {
    const headers = this.mapping(raw);
    for (const name in headers) {
      if (!this.names.has(name)) {
        if (!TOKEN.test(name)) this.fail(`${shown(name)} is not a valid header name`, name);
        this.names.add(name);
      }
      const value = headers[name];
      if (typeof value === 'string') {
        if (!HEADER_VALUE.test(value)) this.fail(`not a valid header value (Latin-1, no line breaks): ${shown(value)}`, name);
      } else if (Array.isArray(value)) {
        this.path.push(name);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (typeof item !== 'string' || !HEADER_VALUE.test(item)) this.fail(`not a valid header value (Latin-1, no line breaks): ${shown(item)}`, i);
        }
        this.path.pop();
      } else {
        this.fail(`must be a string or a list of strings, found ${shown(value)}`, name);
      }
    }
  }

  private body(raw: unknown): void {
    const body = this.mapping(raw, 'must be a mapping with one of json, text or base64');
    let forms = 0;
    for (const key in body) {
      const value = body[key];
      switch (key) {
        case 'json':
          forms++;
          if (value === undefined) this.fail('must be a JSON value', key);
          break;
        case 'format':
          if (value !== 'pretty') this.fail(`can only be pretty, found ${shown(value)}`, key);
          if (body['json'] === undefined) this.fail('goes with json only', key);
          break;
        case 'text':
          forms++;
          this.string(value, key);
          break;
        case 'base64':
          forms++;
          this.base64(value, key);
          break;
        default:
          this.unknown(key, 'json, format, text, base64');
      }
    }
    if (forms !== 1) this.fail(`needs exactly one of json, text or base64, found ${forms}`);
  }

  private chunks(raw: unknown): void {
    if (!Array.isArray(raw)) this.fail(`must be a list, found ${shown(raw)}`);
    for (let i = 0; i < raw.length; i++) {
      this.path.push(i);
      this.chunk(raw[i]);
      this.path.pop();
    }
  }

  private chunk(raw: unknown): void {
    const chunk = this.mapping(raw);
    let forms = 0;
    for (const key in chunk) {
      const value = chunk[key];
      switch (key) {
        case 'atMs':
          this.time(value, key);
          break;
        case 'events':
          forms++;
          this.enter(key, () => this.events(value));
          break;
        case 'eol':
          if (value !== 'crlf') this.fail(`can only be crlf, found ${shown(value)}`, key);
          if (chunk['events'] === undefined) this.fail('goes with events only', key);
          break;
        case 'text':
          forms++;
          this.string(value, key);
          break;
        case 'base64':
          forms++;
          this.base64(value, key);
          break;
        default:
          this.unknown(key, 'atMs, events, eol, text, base64');
      }
    }
    if (chunk['atMs'] === undefined) this.fail('is missing', 'atMs');
    if (forms !== 1) this.fail(`needs exactly one of events, text or base64, found ${forms}`);
  }

  private events(raw: unknown): void {
    if (!Array.isArray(raw)) this.fail(`must be a list, found ${shown(raw)}`);
    for (let i = 0; i < raw.length; i++) {
      this.path.push(i);
      const event = this.mapping(raw[i]);
      for (const key in event) {
        const value = event[key];
        switch (key) {
          case 'comments':
            if (!Array.isArray(value)) this.fail(`must be a list of strings, found ${shown(value)}`, key);
            this.path.push(key);
            for (let c = 0; c < value.length; c++) this.string(value[c], c);
            this.path.pop();
            break;
          case 'event':
          case 'id':
          case 'dataText':
            this.string(value, key);
            break;
          case 'retry':
            if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
              this.fail(`must be a whole number of milliseconds, found ${shown(value)}`, key);
            break;
          case 'data':
            if (value === undefined) this.fail('must be a JSON value', key);
            if (event['dataText'] !== undefined) this.fail('an event has either data or dataText, not both', key);
            break;
          default:
            this.unknown(key, 'comments, event, id, retry, data, dataText');
        }
      }
      this.path.pop();
    }
  }

  private end(raw: unknown): void {
    const end = this.mapping(raw);
    const state = end['state'];
    const allowed = state === 'completed' ? ['atMs'] : state === 'aborted' ? ['atMs', 'bytes'] : state === 'failed' ? ['atMs', 'error'] : undefined;
    if (!allowed) this.fail(`must be completed, aborted or failed, found ${shown(state)}`, 'state');
    for (const key in end) {
      if (key !== 'state' && !allowed.includes(key)) this.unknown(key, ['state', ...allowed].join(', '));
    }
    this.time(end['atMs'], 'atMs');
    if (state === 'aborted') {
      const bytes = end['bytes'];
      if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) this.fail(`must be a whole number of bytes, found ${shown(bytes)}`, 'bytes');
    }
    if (state === 'failed') this.enter('error', () => this.networkError(end['error'], false));
  }

  private networkError(raw: unknown, timed: boolean): void {
    const error = this.mapping(raw);
    for (const key in error) {
      const value = error[key];
      if (key === 'name' || key === 'message' || key === 'code') this.string(value, key);
      else if (key === 'atMs' && timed) this.time(value, key);
      else this.unknown(key, timed ? 'name, code, message, atMs' : 'name, code, message');
    }
    if (error['name'] === undefined) this.fail('is missing', 'name');
    if (error['message'] === undefined) this.fail('is missing', 'message');
    if (timed && error['atMs'] === undefined) this.fail('is missing', 'atMs');
  }

  private mapping(raw: unknown, problem?: string): Fields {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) this.fail(problem ?? `must be a mapping, found ${shown(raw)}`);
    return raw as Fields;
  }

  private enter(key: string | number, check: () => void): void {
    this.path.push(key);
    check();
    this.path.pop();
  }

  private unknown(key: string, known: string): never {
    return this.fail(`unknown field (expected one of: ${known})`, key);
  }

  private string(value: unknown, key: string | number): asserts value is string {
    if (typeof value !== 'string') this.fail(`must be a string, found ${shown(value)}`, key);
  }

  private time(value: unknown, key: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      this.fail(`must be a number of milliseconds (0 or more), found ${shown(value)}`, key);
  }

  private url(value: unknown, key: string): void {
    this.string(value, key);
    if (this.urls.has(value)) return;
    if (!URL.canParse(value)) this.fail(`must be an absolute URL, found ${shown(value)}`, key);
    this.urls.add(value);
  }

  private base64(value: unknown, key: string): void {
    this.string(value, key);
    if (value.length % 4 !== 0 || !BASE64.test(value)) this.fail(`is not valid base64 (${shown(value)})`, key);
  }
}

/** A short, readable rendering of a found value for an error message. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
