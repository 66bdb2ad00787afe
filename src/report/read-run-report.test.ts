import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isCassetteError } from '../errors.js';
import { parseRunReport } from './read-run-report.js';
import type { RunReport } from './run-report.js';

const VALID: RunReport = {
  version: 1,
  runner: 'vitest',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:09.000Z',
  filtered: false,
  cassetteDirs: ['/app/__cassettes__'],
  cassettes: [
    {
      file: '/app/__cassettes__/a.yaml',
      names: ['a'],
      modes: ['none'],
      sessions: 2,
      replayed: 3,
      recorded: 0,
      refused: 0,
      passedThrough: 0,
      unused: [1, 4],
      written: false,
    },
  ],
};

function problem(value: unknown): string {
  try {
    parseRunReport(JSON.stringify(value), 'report.json');
  } catch (error) {
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_REPORT');
    return (error as Error).message.split('\n')[0]!;
  }
  throw new Error('parsed');
}

describe('parseRunReport', () => {
  test('a version 1 report parses to itself', () => {
    expect(parseRunReport(JSON.stringify(VALID), 'report.json')).toEqual(VALID);
  });

  test.each([
    ['not JSON', '{', /report\.json is not a run report: not JSON/],
    ['another version', { ...VALID, version: 2 }, /unknown version 2/],
    ['an unknown runner', { ...VALID, runner: 'mocha' }, /runner must be one of vitest, jest, script/],
    ['a date that is not one', { ...VALID, finishedAt: 'yesterday' }, /finishedAt must be an ISO date/],
    ['filtered missing', { ...VALID, filtered: undefined }, /filtered must be true or false/],
    ['a relative folder', { ...VALID, cassetteDirs: ['__cassettes__'] }, /cassetteDirs must be a list of absolute paths/],
    ['a relative file', { ...VALID, cassettes: [{ ...VALID.cassettes[0], file: 'a.yaml' }] }, /cassettes\[0\]\.file must be an absolute path/],
    ['a negative index', { ...VALID, cassettes: [{ ...VALID.cassettes[0], unused: [-1] }] }, /cassettes\[0\]\.unused must be a list of interaction indices/],
    ['a fractional count', { ...VALID, cassettes: [{ ...VALID.cassettes[0], replayed: 1.5 }] }, /cassettes\[0\]\.replayed must be a whole number/],
  ])('refuses %s, naming the field', (_name, value, message) => {
    expect(typeof value === 'string' ? problemOfText(value) : problem(value)).toMatch(message);
  });

  test('property: a report with any field replaced by any JSON either parses or is refused with LLM_CASSETTE_REPORT (bounded run)', () => {
    const fields = [...Object.keys(VALID), ...Object.keys(VALID.cassettes[0]!).map((k) => `cassettes.0.${k}`)];
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue(), (path, value) => {
        const report = structuredClone(VALID) as unknown as Record<string, unknown>;
        const parts = path.split('.');
        let node = report as Record<string, unknown>;
        for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
        node[parts.at(-1)!] = value;
        try {
          parseRunReport(JSON.stringify(report), 'r.json');
        } catch (error) {
          expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_REPORT');
          refused++;
        }
      }),
      { numRuns: 500 },
    );
    expect(refused).toBeGreaterThan(400);
  });

  test('property: any JSON value at all is refused or parsed, never thrown otherwise (bounded run)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseRunReport(JSON.stringify(value), 'r.json');
        } catch (error) {
          expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_REPORT');
        }
      }),
      { numRuns: 300 },
    );
  });
});

function problemOfText(text: string): string {
  try {
    parseRunReport(text, 'report.json');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('parsed');
}
