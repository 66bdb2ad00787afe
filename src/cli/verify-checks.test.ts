import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeCassette } from '../cassette/codec.js';
import type { CassetteData, Interaction } from '../types.js';
import { verifyText } from './verify-checks.js';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const options = { known: [], allow: [], now: NOW };

const interaction = fc.record({
  recordedAt: fc.integer({ min: NOW - 400 * 86_400_000, max: NOW }).map((ms) => new Date(ms).toISOString()),
  request: fc.record({
    method: fc.constantFrom('GET', 'POST'),
    url: fc.webUrl(),
    headers: fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,10}$/), fc.stringMatching(/^[ -~]{0,20}$/), { maxKeys: 3 }),
    body: fc.option(
      fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
      { nil: undefined },
    ),
  }),
  response: fc.record({
    // what a replay can serve (the validator refuses the rest): a status with a body, one-line texts
    status: fc.integer({ min: 200, max: 599 }).filter((status) => status !== 204 && status !== 205 && status !== 304),
    statusText: fc.stringMatching(/^[ -~]{0,10}$/),
    headers: fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,10}$/), fc.stringMatching(/^[ -~]{0,20}$/), { maxKeys: 3 }),
    headersAtMs: fc.integer({ min: 0, max: 5000 }).map((n) => n / 10),
    body: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
      fc.string({ maxLength: 80 }).map((text) => ({ text })),
    ),
  }),
}) as fc.Arbitrary<Interaction>;

const cassette = fc.array(interaction, { maxLength: 4 }).map((interactions): CassetteData => ({ version: 1, recordedWith: 'cassettes test', interactions }));

describe('verifyText', () => {
  test('property: whatever the codec writes verifies clean and canonical (bounded run)', () => {
    fc.assert(
      fc.property(cassette, (data) => {
        const text = encodeCassette(data);
        const result = verifyText('c.yaml', text, options);
        expect(result.findings).toEqual([]);
        expect(result.canonical).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('property: --max-age reports exactly the interactions recorded longer ago, each at its own recordedAt line (bounded run)', () => {
    fc.assert(
      fc.property(cassette, fc.integer({ min: 1, max: 400 }), (data, days) => {
        const text = encodeCassette(data);
        const maxAge = { ms: days * 86_400_000, text: `${days}d` };
        const found = verifyText('c.yaml', text, { ...options, maxAge }).findings;
        const old = data.interactions.flatMap((it, i) => (NOW - Date.parse(it.recordedAt) > maxAge.ms ? [i] : []));
        expect(found.map((f) => Number(/interaction #(\d+)/.exec(f.what)?.[1]))).toEqual(old);
        const lines = text.split('\n');
        for (const f of found) expect(lines[f.line! - 1]).toMatch(/^ {2}(- | {2})recordedAt: /);
      }),
      { numRuns: 200 },
    );
  });

  test('a text that does not load is one finding with its line, and is still scanned for secrets', () => {
    const text = 'version: 1\ninteractions:\n  - request: {method: GET, url: "https://x.test/?key=AIzaSyD3f8Kq0Lm9Np2Rs7Tv4Wx1Yz6Ab5Cd8Ef"\n';
    const { findings, canonical } = verifyText('c.yaml', text, options);
    expect(canonical).toBe(false);
    expect(findings.map((f) => [f.line, f.what.split(':')[0]])).toEqual([
      [3, 'secret'],
      [4, 'cannot read cassette'],
    ]);
  });
});

/** A cassette of one interaction whose response has `body`. */
const answering = (body: NonNullable<NonNullable<Interaction['response']>['body']>): string =>
  encodeCassette({
    version: 1,
    recordedWith: 'cassettes test',
    interactions: [
      {
        recordedAt: '2026-01-01T00:00:00.000Z',
        request: { method: 'POST', url: 'https://x.test/', headers: {} },
        response: { status: 200, statusText: 'OK', headers: {}, headersAtMs: 1, body },
      },
    ],
  });

describe('the secret scan', () => {
  const data = (value: string): string => answering({ json: { note: value } });

  test('every line that holds a key is a finding', () => {
    const key = 'sk-proj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ';
    const text = `${data(key)}# again: ${key}\n`;
    expect(
      verifyText('c.yaml', text, options)
        .findings.filter((f) => f.what.startsWith('secret'))
        .map((f) => f.line),
    ).toEqual([text.split('\n').findIndex((line) => line.includes(key)) + 1, text.split('\n').length - 1]);
  });

  test('a key the YAML writes with escapes is found in the decoded value, at its interaction', () => {
    const text = data('PLACEHOLDER').replace('note: PLACEHOLDER', 'note: "sk\\x2Dproj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ"');
    expect(text).not.toContain('sk-proj');
    const { findings } = verifyText('c.yaml', text, options);
    expect(findings.filter((f) => f.what.startsWith('secret'))).toEqual([
      { file: 'c.yaml', line: 4, what: 'secret: an OpenAI API key (sk-…) (in interaction #0, written with YAML escapes)' },
    ]);
  });
});

describe('the secret scan of streams', () => {
  test('a key split across two chunks, at every offset, is found in the stream, at its interaction', () => {
    const key = 'sk-ant-api03-Qw8eRt5yUi2oPa7sDf4gHj1kLz9xCv3bNm6';
    for (let cut = 1; cut < key.length; cut++) {
      const text = encodeCassette({
        version: 1,
        recordedWith: 'cassettes test',
        interactions: [
          {
            recordedAt: '2026-01-01T00:00:00.000Z',
            request: { method: 'POST', url: 'https://x.test/', headers: {} },
            response: {
              status: 200,
              statusText: 'OK',
              headers: { 'content-type': 'text/event-stream' },
              headersAtMs: 1,
              chunks: [
                { atMs: 1, text: `data: {"echo":"${key.slice(0, cut)}` },
                { atMs: 2, text: `${key.slice(cut)}"}\n\n` },
              ],
            },
          },
        ],
      });
      const secrets = verifyText('c.yaml', text, options).findings.filter((f) => f.what.startsWith('secret'));
      expect(secrets.some((f) => f.what === 'secret: an Anthropic API key (sk-ant-…) (in interaction #0, split across stream chunks)')).toBe(true);
    }
  });
});

describe('the secret scan through JSON escapes', () => {
  const KEY = 'sk-proj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ';
  const withTextBody = (text: string): string => answering({ text });

  test.each([
    ['a \\u escape in the key', KEY.replace('-', '\\u002d')],
    ['every character as a \\u escape', [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
  ])('a text body holding JSON with %s: found, at its interaction', (_, hidden) => {
    const text = withTextBody(`{"echo":"${hidden}"}`);
    expect(text).not.toContain(KEY);
    const secrets = verifyText('c.yaml', text, options).findings.filter((f) => f.what.startsWith('secret'));
    expect(secrets).toEqual([{ file: 'c.yaml', line: 4, what: 'secret: an OpenAI API key (sk-…) (in interaction #0, written with JSON escapes)' }]);
  });

  test('ordinary escapes in a text body (newlines, quotes) are no finding', () => {
    const text = withTextBody('{"text":"line one\\nline \\"two\\" \\\\ \\/path"}');
    expect(verifyText('c.yaml', text, options).findings.filter((f) => f.what.startsWith('secret'))).toEqual([]);
  });
});
