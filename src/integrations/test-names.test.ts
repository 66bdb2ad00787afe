import { describe, expect, test } from 'vitest';
import { cassetteNameFor } from '../naming.js';
import { assignTitles, nextCassette, withSuffix } from './test-names.js';

describe('auto-named cassettes', () => {
  test('a repeated title gets the lowest free (n), also when sanitising makes titles equal', () => {
    expect(assignTitles([['chat', 'says hi'], ['chat', 'says hi'], ['chat', 'says/hi'], ['other']])).toEqual([
      'chat says hi',
      'chat says hi (2)',
      'chat says-hi',
      'other',
    ]);
    expect(assignTitles([['a:b'], ['a/b'], ['a-b (2)']])).toEqual(['a-b', 'a-b (3)', 'a-b (2)']);
  });

  test('a suffix survives the length limit', () => {
    const long = 'x'.repeat(300);
    const [first, second] = assignTitles([[long], [long]]);
    expect(second).toMatch(/x \(2\)$/);
    expect(second).toHaveLength(first!.length);
    const name = cassetteNameFor({ file: '/p/long.test.ts', titles: [withSuffix(first!, ' #2')] }, '/p');
    expect(name.endsWith(' #2')).toBe(true);
  });

  test('a second cassette in a test is #2; a retry starts counting again', () => {
    const key = {};
    const run = (attempt: string) => ({ file: '/p/chat.test.ts', title: 'chat says hi', key, attempt });
    const names = () => cassetteNameFor(nextCassette(run('0')), '/p');
    expect([names(), names(), names()]).toEqual(['chat.test/chat says hi', 'chat.test/chat says hi #2', 'chat.test/chat says hi #3']);
    expect(cassetteNameFor(nextCassette(run('1')), '/p')).toBe('chat.test/chat says hi');
  });

  test('test files with the same name in different folders get different folders', () => {
    const a = cassetteNameFor({ file: '/p/a/index.test.ts', titles: ['says hi'] }, '/p');
    const b = cassetteNameFor({ file: '/p/b/index.test.ts', titles: ['says hi'] }, '/p');
    expect([a, b]).toEqual(['a/index.test/says hi', 'b/index.test/says hi']);
    expect(cassetteNameFor({ file: '/elsewhere/x.test.ts', titles: ['t'] }, '/p')).toBe('x.test/t');
  });
});
