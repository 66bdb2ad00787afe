import { describe, expect, test } from 'vitest';
import { CassetteError, isCassetteError, NoMatchError } from './errors.js';

describe('CassetteError', () => {
  test('the stack header names the class and the code, as Node does for its own errors', () => {
    const error = new NoMatchError('cassettes: no match', { file: 'f.yaml', method: 'POST', url: 'https://x.test/' });
    expect(error.stack?.split('\n')[0]).toBe('NoMatchError [LLM_CASSETTE_NO_MATCH]: cassettes: no match');
    expect(error.message).toBe('cassettes: no match');
    expect(error).toBeInstanceOf(CassetteError);
    expect(isCassetteError(error)).toBe(true);
  });

  test('String(error) carries the code too, so a copy made by another realm (new Error(String(e))) keeps it', () => {
    const error = new CassetteError('LLM_CASSETTE_BLOCKED', 'cassettes: refused');
    expect(String(error)).toBe('CassetteError [LLM_CASSETTE_BLOCKED]: cassettes: refused');
    expect(new Error(String(error)).message).toContain('LLM_CASSETTE_BLOCKED');
  });

  test('isCassetteError recognises errors from another copy of the package by brand', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('cassettes.error')]: true, code: 'LLM_CASSETTE_MODE' });
    expect(isCassetteError(foreign)).toBe(true);
    expect(isCassetteError(new Error('x'))).toBe(false);
    expect(isCassetteError(null)).toBe(false);
  });
});
