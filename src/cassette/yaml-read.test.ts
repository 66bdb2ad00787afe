import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import * as jsYaml from 'js-yaml';
import { JSON_SCHEMA, load, type Type } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { FLOAT, readYaml, YamlProblem } from './yaml-read.js';

const { types } = jsYaml as unknown as { types: { float: Type } };

/** Strings made of the pieces YAML floats are made of. */
const floaty = fc.string({
  unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', 'E', '_', 'inf', 'Inf', 'INF', 'nan', 'NaN', 'x', ' ', ':'),
  maxLength: 8,
});

describe('readYaml', () => {
  test('its float type resolves exactly the strings js-yaml’s does, to the same numbers', () => {
    fc.assert(
      fc.property(fc.oneof(floaty, fc.string(), fc.double().map(String)), (text) => {
        const ours = FLOAT.resolve(text);
        expect(ours).toBe(types.float.resolve(text));
        if (ours) expect(Object.is(FLOAT.construct(text), types.float.construct(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('it reads what js-yaml’s JSON schema reads', () => {
    fc.assert(
      fc.property(fc.dictionary(floaty, fc.oneof(floaty, fc.jsonValue({ maxDepth: 2 }))), (value) => {
        const text = jsYaml.dump(value, { schema: JSON_SCHEMA, lineWidth: -1 });
        expect(isDeepStrictEqual(readYaml(text), load(text, { schema: JSON_SCHEMA }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('a problem says why and where, without the parser’s stack', () => {
    try {
      readYaml('a: 1\nb: [\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(YamlProblem);
      expect((error as YamlProblem).line).toBe(3);
    }
  });
});
