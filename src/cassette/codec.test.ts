import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse as parseWithYaml } from 'yaml';
import { CassetteFormatError } from '../errors.js';
import { httpInteractions } from '../journal/timeline.js';
import type { CassetteData, Interaction } from '../types.js';
import { decodeCassette, encodeCassette } from './codec.js';

/** Strings that some YAML reader takes for something else when they are written bare. */
const TRICKY = [
  '0b11',
  '0b1010',
  '0o17',
  '0x1F',
  '017',
  '-0',
  '+1',
  '1_000',
  '1e3',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  'NaN',
  'Infinity',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'False',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '12:30:45',
  '<<',
  '=',
  '!',
  '!!str',
  '&a',
  '*a',
  '%YAML',
  '---',
  '...',
  '- ',
  '? ',
  ': ',
  ' #',
  '#',
  '|',
  '>',
  '@',
  '`',
  '"',
  "'",
  '\\',
  '{}',
  '[]',
  ',',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\0',
  '\u001b',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'é',
  '__proto__',
  'constructor',
  'toString',
];

const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...TRICKY), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 3 }), weight: 2 },
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const text = fc.string({ unit, maxLength: 6 });
const json = fc.jsonValue({ stringUnit: unit, maxDepth: 5 });

function cassette(parts: { request: unknown; response: unknown; text: string; data: unknown; dataText: string; comment: string }): CassetteData {
  const interaction: Interaction = {
    key: 'k',
    recordedAt: '2026-01-02T03:04:05.678Z',
    request: { method: 'POST', url: 'https://api.example.test/v1/x', headers: { 'content-type': 'application/json' }, body: { json: parts.request } },
    response: {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/event-stream' },
      headersAtMs: 1.5,
      chunks: [
        { atMs: 2, events: [{ comments: [parts.comment], event: 'e', data: parts.data }] },
        { atMs: 3, events: [{ dataText: parts.dataText }] },
        { atMs: 4, text: parts.text },
      ],
      end: { state: 'completed', atMs: 5 },
    },
  };
  const plain: Interaction = {
    recordedAt: '2026-01-02T03:04:05.678Z',
    request: { method: 'GET', url: 'https://api.example.test/v1/y', headers: {}, body: { text: parts.text } },
    response: { status: 200, statusText: 'OK', headers: {}, headersAtMs: 0, body: { json: parts.response } },
  };
  return { version: 1, recordedWith: 'cassettes test', interactions: [interaction, plain] };
}

/** Request bodies are stored key-sorted; everything else as it is. */
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

describe('codec: encode → decode', () => {
  test('any JSON value, string and key survives a round trip through the file unchanged, and the file is canonical', () => {
    let tried = 0;
    fc.assert(
      fc.property(fc.record({ request: json, response: json, text, data: json, dataText: text, comment: text }), (parts) => {
        tried++;
        const data = cassette(parts);
        const encoded = encodeCassette(data);
        // through the bytes a file holds
        const decoded = decodeCassette(Buffer.from(encoded, 'utf8').toString('utf8'), 'prop.yaml');
        const [streamed, plain] = decoded.interactions as [Interaction, Interaction];
        // @note node's deep equality: Vitest's strict equality compares `.constructor`, which a
        // JSON key named "constructor" replaces
        const same = (actual: unknown, expected: unknown): void =>
          expect(isDeepStrictEqual(actual, expected), `${inspect(actual)} vs ${inspect(expected)}`).toBe(true);
        same(streamed.request.body, { json: sortDeep(parts.request) });
        // key order too: a response body must re-serialise to the bytes that arrived
        expect(JSON.stringify((plain.response!.body as { json: unknown }).json)).toBe(JSON.stringify(parts.response));
        same(plain.response!.body, { json: parts.response });
        const chunks = streamed.response!.chunks!;
        same(chunks[0]!.events, [{ comments: [parts.comment], event: 'e', data: parts.data }]);
        same(chunks[1]!.events, [{ dataText: parts.dataText }]);
        expect(chunks[2]!.text).toBe(parts.text);
        same(plain.request.body, { text: parts.text });
        // canonical: writing what was read gives the same bytes
        expect(encodeCassette(decoded)).toBe(encoded);
      }),
      { numRuns: 400 },
    );
    expect(tried).toBe(400);
  });

  test('another YAML 1.2 reader (the yaml package) reads the same values from the file', () => {
    fc.assert(
      fc.property(json, text, (value, string) => {
        const encoded = encodeCassette(cassette({ request: value, response: value, text: string, data: value, dataText: string, comment: string }));
        const other: unknown = parseWithYaml(encoded, { uniqueKeys: true });
        const ours = decodeCassette(encoded, 'other.yaml');
        expect(isDeepStrictEqual(other, ours), `${inspect(other, { depth: 9 })} vs ${inspect(ours, { depth: 9 })}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('the strings that broke the old writer/reader pair come back as strings, -0 as -0', () => {
    const value = { flags: '0b1010', mask: '0b11', octal: '0o17', zero: '-0', negativeZero: -0, big: 1e21, tiny: 5e-324, date: '2001-12-14', merge: '<<' };
    const decoded = decodeCassette(
      encodeCassette(cassette({ request: value, response: value, text: '0b11', data: value, dataText: '-0', comment: 'yes' })),
      'x.yaml',
    );
    const body = (httpInteractions(decoded)[1]!.response!.body as { json: typeof value }).json;
    expect(body).toStrictEqual(value);
    expect(Object.is(body.negativeZero, -0)).toBe(true);
    expect(httpInteractions(decoded)[1]!.request.body).toStrictEqual({ text: '0b11' });
  });

  test('keys named __proto__ and constructor stay plain keys (no prototype is set)', () => {
    const value: unknown = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
    const decoded = decodeCassette(
      encodeCassette(cassette({ request: value, response: value, text: '', data: value, dataText: '', comment: '' })),
      'proto.yaml',
    );
    const body = (httpInteractions(decoded)[1]!.response!.body as { json: Record<string, unknown> }).json;
    expect(isDeepStrictEqual(body, value)).toBe(true);
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('a request body nested 500 levels deep survives (past js-yaml 4.3’s default limit of 100)', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 500; i++) deep = i % 2 ? [deep] : { k: deep };
    const decoded = decodeCassette(encodeCassette(cassette({ request: deep, response: deep, text: '', data: 1, dataText: '', comment: '' })), 'deep.yaml');
    expect((httpInteractions(decoded)[1]!.response!.body as { json: unknown }).json).toStrictEqual(deep);
  });

  test('the writer makes no anchors or aliases for objects that appear twice', () => {
    const shared = { a: 1 };
    const encoded = encodeCassette(cassette({ request: [shared, shared], response: [shared, shared], text: '', data: shared, dataText: '', comment: '' }));
    expect(encoded).not.toMatch(/[&*]ref_/);
    expect(() => decodeCassette(encoded, 'shared.yaml')).not.toThrow();
  });
});

describe('codec: what it refuses', () => {
  const refuse = (text: string): CassetteFormatError => {
    try {
      decodeCassette(text, 'bad.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(CassetteFormatError);
      return error as CassetteFormatError;
    }
    throw new Error('expected a CassetteFormatError');
  };

  test('two YAML documents in one file', () => {
    const error = refuse('version: 1\ninteractions: []\n---\nversion: 1\n');
    expect(error.message).toMatch(/cassettes: cannot read cassette bad\.yaml.*single document/);
  });

  test('YAML syntax errors name the line', () => {
    const error = refuse('version: 1\ninteractions:\n  - key: [unclosed\n');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toContain('(line ');
  });

  test('a billion-laughs alias bomb is refused at once, before anything expands it', () => {
    const levels = ['lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) levels.push(`lol${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
    const bomb = `version: 1\n${levels.join('\n')}\ninteractions: *a11\n`;
    const started = performance.now();
    const error = refuse(bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toContain('anchors and aliases (&a0) are not allowed');
    expect(error.line).toBe(2);
  });

  test('anchors are refused wherever they stand: flow, block, root, after a JSON-like key', () => {
    for (const text of [
      '&root {version: 1}',
      'version: 1\ninteractions: [&x {}, *x]',
      'version: 1\nrecordedWith: &w x\n',
      '{"version":&v 1}',
      'version: 1\ninteractions:\n  - &i\n    key: a\n',
    ]) {
      expect(refuse(text).message, text).toContain('anchors and aliases');
    }
  });

  test('an & inside a string is not an anchor', () => {
    const data = cassette({ request: { q: 'Tom & Jerry', r: 'a &b', s: '&c' }, response: 'x &y', text: ' &z', data: '&', dataText: '[&', comment: ':&x' });
    expect(httpInteractions(decodeCassette(encodeCassette(data), 'ok.yaml'))[0]!.request.body).toStrictEqual({
      json: { q: 'Tom & Jerry', r: 'a &b', s: '&c' },
    });
  });
});
