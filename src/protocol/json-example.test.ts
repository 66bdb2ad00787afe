import { describe, expect, test } from 'vitest';
import { exampleFromSchema } from './json-example.js';

describe('exampleFromSchema', () => {
  test.each([
    [{ type: 'string' }, 'example'],
    [{ type: 'integer', minimum: 3 }, 3],
    [{ type: 'number' }, 0],
    [{ type: 'boolean' }, true],
    [{ type: 'null' }, null],
    [{ type: ['null', 'string'] }, 'example'],
    [{ const: 'fixed' }, 'fixed'],
    [{ enum: ['red', 'blue'] }, 'red'],
    [{ default: 7 }, 7],
    [{ anyOf: [{ type: 'boolean' }, { type: 'string' }] }, true],
    [{ oneOf: [{ type: 'integer' }] }, 0],
    [{ type: 'array', items: { type: 'string' }, minItems: 2 }, ['example', 'example']],
    [{ type: 'array' }, []],
    [
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'object', properties: { c: { type: 'boolean' } } } } },
      { a: 'example', b: { c: true } },
    ],
    [undefined, {}],
  ])('%j → %j', (schema, example) => {
    expect(exampleFromSchema(schema)).toEqual(example);
  });

  test('a schema that refers to itself stops at a depth instead of recursing forever', () => {
    const node: Record<string, unknown> = { type: 'object' };
    node.properties = { child: node };
    let depth = 0;
    for (let value = exampleFromSchema(node) as Record<string, unknown>; value.child; value = value.child as Record<string, unknown>) depth++;
    expect(depth).toBe(9);
  });
});
