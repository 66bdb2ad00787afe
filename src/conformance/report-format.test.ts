import { describe, expect, test } from 'vitest';
import type { CheckResult } from './report-format.js';
import { firstLine, mergeResults, renderMarkdown } from './report-format.js';

const result = (provider: string, check: string, order: number, status: CheckResult['status'], detail?: string): CheckResult => ({
  provider,
  check,
  order,
  status,
  ...(detail === undefined ? {} : { detail }),
});

describe('mergeResults', () => {
  test('merges parts from several workers: rows in suite order, columns by name, the last result of a repeated check wins', () => {
    const matrix = mergeResults([
      [result('b-provider', 'second', 1, 'pass'), result('b-provider', 'first', 0, 'fail', 'broke')],
      [result('a-provider', 'third', 2, 'skip', 'capabilities.tools is not declared'), result('a-provider', 'first', 0, 'pass')],
      [result('b-provider', 'first', 0, 'pass')],
    ]);
    expect(matrix.providers).toEqual(['a-provider', 'b-provider']);
    expect(matrix.checks).toEqual(['first', 'second', 'third']);
    expect(matrix.results['b-provider']).toEqual({ first: { status: 'pass' }, second: { status: 'pass' } });
    expect(matrix.results['a-provider']!['third']).toEqual({ status: 'skip', detail: 'capabilities.tools is not declared' });
  });

  test('nothing to merge is an empty matrix', () => {
    expect(mergeResults([])).toEqual({ providers: [], checks: [], results: {} });
  });
});

describe('renderMarkdown', () => {
  test('one row per check, a numbered note per distinct failure or skip reason, pipes escaped, missing cells marked', () => {
    const text = renderMarkdown(
      mergeResults([
        [
          result('p|1', 'first', 0, 'fail', 'usage.totalTokens (3) must equal | inputTokens'),
          result('p|1', 'second', 1, 'skip', 'capabilities.json is not declared'),
          result('q', 'second', 1, 'skip', 'capabilities.json is not declared'),
          result('q', 'third', 2, 'skip'),
        ],
      ]),
    );
    expect(text).toContain('| check | p\\|1 | q |');
    expect(text).toContain('| first | **fail** [1] | — |');
    expect(text).toContain('| second | skip [2] | skip [2] |');
    expect(text).toContain('| third | — | skip |');
    expect(text).toContain('1. failed: usage.totalTokens (3) must equal \\| inputTokens');
    expect(text).toContain('2. skipped: capabilities.json is not declared');
    expect(text).toContain('- p|1: 0 pass, 1 fail, 1 skip');
    expect(text.endsWith('\n')).toBe(true);
  });

  test('a clean matrix has no notes', () => {
    expect(renderMarkdown(mergeResults([[result('p', 'c', 0, 'pass')]]))).not.toContain('Notes');
  });
});

describe('firstLine', () => {
  test("the first non-empty line of an error's message, without the package prefixes", () => {
    expect(firstLine(new Error('cassettes conformance: complete(): bad\n  more detail'))).toBe('complete(): bad');
    expect(firstLine(new Error('\ncassettes: something broke'))).toBe('something broke');
    expect(firstLine('plain reason')).toBe('plain reason');
  });
});
