import { describe, expect, test } from 'vitest';
import { CassetteFormatError } from '../errors.js';
import { httpInteractions } from '../journal/timeline.js';
import type { Interaction } from '../types.js';
import { decodeCassette, encodeCassette } from './codec.js';

// line numbers below count from 1 in this text
const VALID = `version: 1
recordedWith: cassettes 0.1.0
interactions:
  - key: abc
    recordedAt: "2026-01-02T03:04:05.678Z"
    request:
      method: POST
      url: https://api.openai.com/v1/chat/completions
      headers:
        content-type: application/json
      body:
        json:
          model: gpt-4o-mini
    response:
      status: 200
      statusText: OK
      headers:
        content-type: text/event-stream
        set-cookie:
          - a=1
          - b=2
      headersAtMs: 1.5
      chunks:
        - atMs: 2
          events:
            - event: delta
              data: {"x": 1}
        - atMs: 3
          eol: crlf
          events:
            - retry: 10
              dataText: "[DONE]"
              comments: [" ping"]
        - atMs: 4
          base64: 8J+Y
      end:
        state: completed
        atMs: 5
  - recordedAt: "2026-01-02T03:04:06.000Z"
    request:
      method: GET
      url: https://api.openai.com/v1/models
    error:
      name: TypeError
      code: ECONNREFUSED
      message: fetch failed
      atMs: 3
`;

function refusal(text: string): CassetteFormatError {
  try {
    decodeCassette(text, 'cassette.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(CassetteFormatError);
    return error as CassetteFormatError;
  }
  throw new Error(`expected a CassetteFormatError for:\n${text}`);
}

const replace = (from: string, to: string): string => {
  expect(VALID).toContain(from);
  return VALID.replace(from, to);
};

describe('validation at load', () => {
  test('a valid cassette loads, with defaults filled in', () => {
    const data = decodeCassette(VALID, 'cassette.yaml');
    expect(data.interactions).toHaveLength(2);
    expect(httpInteractions(data)[1]!.request.headers).toEqual({});
    expect(httpInteractions(data)[0]!.response!.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  test('an empty interactions list, or none at all, is an empty cassette', () => {
    expect(decodeCassette('version: 1\ninteractions:\n', 'x.yaml').interactions).toEqual([]);
    expect(decodeCassette('version: 1\n', 'x.yaml').interactions).toEqual([]);
  });

  // [what, mutated text, field path, line, interaction, message fragment]
  const cases: [string, string, string | undefined, number, number | undefined, RegExp][] = [
    ['a status outside 200–599', replace('status: 200', 'status: 700'), 'interactions[0].response.status', 15, 0, /from 200 to 599, found 700/],
    ['a 1xx status', replace('status: 200', 'status: 101'), 'interactions[0].response.status', 15, 0, /found 101/],
    ['a status that is text', replace('status: 200', 'status: "200"'), 'interactions[0].response.status', 15, 0, /found "200"/],
    [
      'an invalid header name',
      replace('content-type: text/event-stream', 'content type: text/event-stream'),
      'interactions[0].response.headers.content type',
      18,
      0,
      /not a valid header name/,
    ],
    [
      'a header value with a line break',
      replace('content-type: text/event-stream', 'content-type: "a\\nb"'),
      'interactions[0].response.headers.content-type',
      18,
      0,
      /not a valid header value/,
    ],
    [
      'a header value outside Latin-1',
      replace('content-type: text/event-stream', 'content-type: "é✓"'),
      'interactions[0].response.headers.content-type',
      18,
      0,
      /not a valid header value/,
    ],
    ['a bad value in a header list', replace('- b=2', '- 3'), 'interactions[0].response.headers.set-cookie[1]', 21, 0, /not a valid header value/],
    ['a status text with a line break', replace('statusText: OK', 'statusText: "O\\rK"'), 'interactions[0].response.statusText', 16, 0, /one line/],
    ['an invalid URL', replace('url: https://api.openai.com/v1/models', 'url: not a url'), 'interactions[1].request.url', 42, 1, /absolute URL/],
    ['a method that is not a token', replace('method: GET', 'method: "GE T"'), 'interactions[1].request.method', 41, 1, /HTTP method/],
    [
      'chunks that are not a list',
      replace('      chunks:\n        - atMs: 2', '      chunks: 7\n      x:\n        - atMs: 2'),
      'interactions[0].response.chunks',
      23,
      0,
      /must be a list, found 7/,
    ],
    [
      'body: null',
      replace('      body:\n        json:\n          model: gpt-4o-mini', '      body: null'),
      'interactions[0].request.body',
      11,
      0,
      /must be a mapping/,
    ],
    ['invalid base64', replace('base64: 8J+Y', 'base64: "8J+Y!"'), 'interactions[0].response.chunks[2].base64', 35, 0, /not valid base64/],
    ['base64 of a wrong length', replace('base64: 8J+Y', 'base64: 8J+'), 'interactions[0].response.chunks[2].base64', 35, 0, /not valid base64/],
    [
      'a chunk with two forms',
      replace('base64: 8J+Y', 'base64: 8J+Y\n          text: x'),
      'interactions[0].response.chunks[2]',
      34,
      0,
      /exactly one of events, text or base64, found 2/,
    ],
    [
      'an unknown field',
      replace('    request:\n      method: POST', '    requets: 1\n    request:\n      method: POST'),
      'interactions[0].requets',
      6,
      0,
      /unknown field/,
    ],
    ['a missing recordedAt', replace('    recordedAt: "2026-01-02T03:04:05.678Z"\n', ''), 'interactions[0].recordedAt', 4, 0, /is missing/],
    ['a recordedAt that is not a date', replace('"2026-01-02T03:04:05.678Z"', 'yesterday'), 'interactions[0].recordedAt', 5, 0, /ISO 8601/],
    [
      'an event with data and dataText',
      replace('data: {"x": 1}', 'data: {"x": 1}\n              dataText: y'),
      'interactions[0].response.chunks[0].events[0].data',
      27,
      0,
      /not both/,
    ],
    ['a negative retry', replace('retry: 10', 'retry: -1'), 'interactions[0].response.chunks[1].events[0].retry', 31, 0, /whole number/],
    ['eol other than crlf', replace('eol: crlf', 'eol: lf'), 'interactions[0].response.chunks[1].eol', 29, 0, /only be crlf/],
    ['an unknown end state', replace('state: completed', 'state: done'), 'interactions[0].response.end.state', 37, 0, /completed, aborted or failed/],
    ['a negative atMs', replace('headersAtMs: 1.5', 'headersAtMs: -1'), 'interactions[0].response.headersAtMs', 22, 0, /0 or more/],
    ['.nan as a time', replace('headersAtMs: 1.5', 'headersAtMs: .nan'), 'interactions[0].response.headersAtMs', 22, 0, /found NaN/],
    ['both a response and an error', replace('      atMs: 3\n', '      atMs: 3\n    response:\n      status: 200\n'), 'interactions[1]', 39, 1, /not both/],
    [
      'neither a response nor an error',
      replace('    error:\n      name: TypeError\n      code: ECONNREFUSED\n      message: fetch failed\n      atMs: 3\n', ''),
      'interactions[1]',
      39,
      1,
      /needs a response or an error/,
    ],
    ['a 204 with a body', replace('status: 200', 'status: 204'), 'interactions[0].response.chunks', 23, 0, /204 response has no body/],
    ['an error without a message', replace('      message: fetch failed\n', ''), 'interactions[1].error.message', 43, 1, /is missing/],
    ['interactions that are not a list', 'version: 1\ninteractions: {a: 1}\n', 'interactions', 2, undefined, /must be a list/],
    ['an interaction that is not a mapping', 'version: 1\ninteractions:\n  - just text\n', 'interactions[0]', 3, 0, /must be a mapping/],
    ['a top level that is a list', '- 1\n', undefined, 1, undefined, /its top level \(line 1\): the top level must be a mapping/],
    ['an empty file', '', undefined, 1, undefined, /top level must be a mapping/],
    ['another version', replace('version: 1', 'version: 3'), 'version', 1, undefined, /unknown version 3/],
    [
      'format other than pretty',
      replace('          model: gpt-4o-mini', '          model: gpt-4o-mini\n        format: compact'),
      'interactions[0].request.body.format',
      14,
      0,
      /only be pretty/,
    ],
    [
      'request headers that are not strings',
      replace('content-type: application/json', 'content-type: [1]'),
      'interactions[0].request.headers.content-type',
      10,
      0,
      /must be a string/,
    ],
  ];

  test.each(cases)('%s is a CassetteFormatError naming the file, interaction, field and line', (_what, text, field, line, interaction, message) => {
    const error = refusal(text);
    expect(error.code).toBe('LLM_CASSETTE_FORMAT');
    expect(error.file).toBe('cassette.yaml');
    expect(error.field).toBe(field);
    expect(error.interaction).toBe(interaction);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('cassette.yaml');
    expect(error.message).toContain(`(line ${line})`);
    if (interaction !== undefined) expect(error.message).toContain(`interaction #${interaction}`);
    expect(error.message).toMatch(/\n {2}fix: /);
  });

  test('the message names the request of the interaction', () => {
    const error = refusal(replace('status: 200', 'status: 999'));
    expect(error.message.split('\n')[0]).toBe(
      'cassettes: cassette cassette.yaml is not a valid cassette: interaction #0 (POST https://api.openai.com/v1/chat/completions), field response.status (line 15): must be an HTTP status from 200 to 599, found 999',
    );
  });

  test('in a large file (over 1 MB) the line is found from the one interaction, without a tree of the whole file', () => {
    const interactions: Interaction[] = Array.from({ length: 3000 }, (_, i) => ({
      recordedAt: '2026-01-02T03:04:05.678Z',
      request: { method: 'POST', url: 'https://x.test/v1', headers: {}, body: { json: { i, padding: 'x'.repeat(300) } } },
      response: { status: 200, statusText: 'OK', headers: {}, headersAtMs: 0, body: { text: `answer ${i}` } },
    }));
    const text = encodeCassette({ version: 1, recordedWith: 'test', interactions });
    expect(text.length).toBeGreaterThan(1_000_000);
    const lines = text.split('\n');
    const target = lines.findIndex((line) => line.includes('text: answer 2345'));
    const statusLine = lines.lastIndexOf('      status: 200', target);
    lines[statusLine] = '      status: 42';
    const error = refusal(lines.join('\n'));
    expect(error.field).toBe('interactions[2345].response.status');
    expect(error.line).toBe(statusLine + 1);
  });
});
