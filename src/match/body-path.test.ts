import { describe, expect, test } from 'vitest';
import { editPath, parsePath, withoutPaths } from './body-path.js';

const gemini = {
  contents: [
    { role: 'user', parts: [{ text: 'weather in Paris?' }] },
    { role: 'model', parts: [{ functionCall: { id: 'a1', name: 'weather', args: { city: 'Paris' } } }] },
    { role: 'user', parts: [{ functionResponse: { id: 'a1', name: 'weather', response: { t: 21 } } }, { functionCall: { id: 'b2', name: 'x' } }] },
  ],
};

describe('body paths', () => {
  test('parse: keys, indices, [*] and *', () => {
    expect(parsePath('contents[*].parts[0].functionCall.id')).toEqual([
      { key: 'contents' },
      { any: true },
      { key: 'parts' },
      { index: 0 },
      { key: 'functionCall' },
      { key: 'id' },
    ]);
    expect(parsePath('tools.*.description')).toEqual([{ key: 'tools' }, { any: true }, { key: 'description' }]);
  });

  test('a malformed path is a TypeError that quotes it', () => {
    expect(() => parsePath('a[b].c')).toThrow(/a\[b\]\.c/);
  });

  test('[*] reaches every item at every depth, and nothing else changes', () => {
    const out = withoutPaths(gemini, ['contents[*].parts[*].functionCall.id', 'contents[*].parts[*].functionResponse.id']) as typeof gemini;
    expect(JSON.stringify(out)).not.toContain('"id"');
    expect(out.contents[1]!.parts[0]).toEqual({ functionCall: { name: 'weather', args: { city: 'Paris' } } });
    expect(JSON.stringify(gemini)).toContain('"a1"');
  });

  test('a dotted key applied to an array applies to each item (the older form)', () => {
    expect(
      withoutPaths(
        {
          messages: [
            { id: 1, c: 'a' },
            { id: 2, c: 'b' },
          ],
        },
        ['messages.id'],
      ),
    ).toEqual({ messages: [{ c: 'a' }, { c: 'b' }] });
  });

  test('[n] reaches one item; an index past the end changes nothing', () => {
    expect(editPath({ m: ['a', 'b'] }, 'm[1]', () => 'X')).toEqual({ m: ['a', 'X'] });
    expect(editPath({ m: ['a'] }, 'm[5]', () => 'X')).toEqual({ m: ['a'] });
  });

  test('* reaches every key', () => {
    expect(editPath({ tools: { a: { d: 1 }, b: { d: 2 } } }, 'tools.*.d', () => 0)).toEqual({ tools: { a: { d: 0 }, b: { d: 0 } } });
  });

  test('a "__proto__" key stays a key', () => {
    const value = JSON.parse('{"__proto__":{"secret":"x"},"a":1}') as unknown;
    const out = editPath(value, '__proto__.secret', () => 'R') as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
