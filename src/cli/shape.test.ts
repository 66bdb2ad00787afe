import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareShapes, describeChange, opaque, shapeOf } from './shape.js';

const diff = (before: unknown[], after: unknown[]): string[] => compareShapes(shapeOf(before), shapeOf(after)).map(describeChange);

describe('shapes', () => {
  test('paths with array elements merged, each with the types seen there', () => {
    const shape = shapeOf([{ id: 'a', choices: [{ delta: { content: 'Hi' } }, { delta: { content: null } }], 'odd key': 1 }]);
    expect(Object.fromEntries([...shape].map(([path, types]) => [path, [...types].sort()]))).toEqual({
      '': ['object'],
      id: ['string'],
      choices: ['array'],
      'choices[]': ['object'],
      'choices[].delta': ['object'],
      'choices[].delta.content': ['null', 'string'],
      '["odd key"]': ['number'],
    });
  });

  test('added, removed and changed fields; a subtree that came or went is named once, at its root', () => {
    const before = { id: 'x', usage: { prompt_tokens: 1, details: { cached: 0 } }, created: 1 };
    const after = { id: 'y', usage: { input_tokens: 2 }, created: '1', audio: { data: 'b', format: 'wav' } };
    expect(diff([before], [after])).toEqual([
      '+ audio (object)',
      '~ created: number → string',
      '- usage.details (object)',
      '+ usage.input_tokens (number)',
      '- usage.prompt_tokens (number)',
    ]);
  });

  test('a body that stopped being JSON is a change of the whole value', () => {
    expect(diff([{ a: 1 }], [opaque('text')])).toEqual(['~ (the whole value): object → text', '- a (number)']);
  });

  test('property: values are ignored, only types count (bounded run)', () => {
    // the same structure with every leaf replaced by another value of the same type
    const sameTypes = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => sameTypes(v, seed + i));
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sameTypes(v, seed + 1)]));
      if (typeof value === 'string') return `${value}-${seed}`;
      if (typeof value === 'number') return value + seed;
      if (typeof value === 'boolean') return seed % 2 === 0 ? value : !value;
      return value;
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(diff([value], [sameTypes(value, seed)])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  test('property: a new field anywhere in an object is reported as added, at its path (bounded run)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue(), { maxKeys: 5 }), fc.jsonValue(), (object, extra) => {
        const key = 'zz_new_field';
        const changes = compareShapes(shapeOf([object]), shapeOf([{ ...object, [key]: extra }]));
        expect(changes).toHaveLength(1);
        expect(changes[0]).toMatchObject({ path: key, kind: 'added' });
      }),
      { numRuns: 300 },
    );
  });
});
