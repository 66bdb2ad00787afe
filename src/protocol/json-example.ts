import type { JsonSchema } from './request.js';

/**
 * The smallest value that satisfies a (simple) JSON Schema: used by the mock provider to answer
 * JSON-mode requests and forced tool calls with something that parses and validates.
 */
export function exampleFromSchema(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return {};
  if ('const' in schema) return schema.const;
  const enumValues = schema.enum;
  if (Array.isArray(enumValues) && enumValues.length > 0) return enumValues[0];
  if ('default' in schema) return schema.default;
  const anyOf = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(anyOf) && anyOf.length > 0) return exampleFromSchema(anyOf[0] as JsonSchema, depth + 1);
  const rawType = schema.type;
  const type = Array.isArray(rawType) ? rawType.find((t) => t !== 'null') : rawType;
  switch (type) {
    case 'string':
      return 'example';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = schema.items as JsonSchema | undefined;
      return Array.from({ length: minItems }, () => exampleFromSchema(items, depth + 1));
    }
    default: {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(properties)) out[key] = exampleFromSchema(value, depth + 1);
      return out;
    }
  }
}
