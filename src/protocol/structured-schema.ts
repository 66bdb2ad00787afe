import type { LLMValidationIssue } from './errors.js';
import { LLMRequestError } from './errors.js';
import type { JsonSchema } from './request.js';

/**
 * The Standard Schema interface (standardschema.dev, v1) that zod 4, valibot, arktype and others
 * implement, plus its optional Standard JSON Schema extension. Written out here so that no schema
 * library is a dependency, not even for types.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    /** Standard JSON Schema: how the library turns the schema into JSON Schema (zod 4.2+, arktype). */
    readonly jsonSchema?: {
      readonly output: (options: { readonly target: string }) => Record<string, unknown>;
    };
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly { readonly message: string; readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined }[] };

/** What `generateStructured()` accepts: a Standard Schema, or a plain JSON Schema object. */
export type StructuredSchema<T = unknown> = StandardSchemaV1<unknown, T> | JsonSchema;

export function isStandardSchema(schema: unknown): schema is StandardSchemaV1 {
  const standard = (schema as { '~standard'?: { validate?: unknown } } | null | undefined)?.['~standard'];
  return (typeof schema === 'object' || typeof schema === 'function') && typeof standard?.validate === 'function';
}

/**
 * The JSON Schema to send to the provider: the plain schema itself, or what the Standard Schema
 * library makes of it (draft-07, the dialect providers accept most widely). `undefined` when the
 * library cannot say (valibot without `toStandardJsonSchema`): JSON mode without a schema then.
 */
export function jsonSchemaOf(schema: StructuredSchema): JsonSchema | undefined {
  if (!isStandardSchema(schema)) return schema as JsonSchema;
  const convert = schema['~standard'].jsonSchema?.output;
  if (!convert) return undefined;
  let converted: Record<string, unknown> | undefined;
  for (const target of ['draft-07', 'draft-2020-12']) {
    try {
      converted = convert({ target });
      break;
    } catch {
      // this library does not speak that dialect: try the next
    }
  }
  if (!converted) return undefined;
  // @note `$schema` tells validators the dialect; providers' structured-output endpoints want
  // the schema alone (Gemini refuses unknown keys).
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

function issuePath(path: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined): (string | number)[] {
  return (path ?? []).map((segment) => {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
}

/** Validates with the Standard Schema: the parsed value, or the issues. */
export async function validateStandard<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Promise<{ value: T } | { issues: LLMValidationIssue[] }> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) return { issues: result.issues.map((issue) => ({ message: issue.message, path: issuePath(issue.path) })) };
  return { value: result.value };
}

type AjvValidate = ((value: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
type AjvClass = new (options: Record<string, unknown>) => { compile(schema: unknown): AjvValidate };

const compiled = new WeakMap<object, Promise<AjvValidate>>();

function ajvModule(dialect: string): Promise<unknown> {
  // @note ajv is an optional peer dependency, loaded on the first plain JSON Schema only: most
  // callers pass a Standard Schema and never need it.
  if (dialect.includes('2020-12')) return import('ajv/dist/2020.js');
  if (dialect.includes('2019-09')) return import('ajv/dist/2019.js');
  return import('ajv');
}

async function compile(schema: JsonSchema, provider: string): Promise<AjvValidate> {
  let mod: unknown;
  try {
    mod = await ajvModule(typeof schema.$schema === 'string' ? schema.$schema : '');
  } catch (error) {
    throw new LLMRequestError(
      'cassettes: generateStructured validates a plain JSON Schema with ajv, which is not installed\n' +
        '  fix: npm install --save-dev ajv, or pass a Standard Schema (zod, valibot, arktype)',
      { provider, field: 'schema', allowed: 'a Standard Schema, or a JSON Schema with ajv installed', cause: error },
    );
  }
  // @note ajv is CommonJS: `import()` gives its module.exports as `default`, which carries `default` again.
  const outer = (mod as { default?: unknown }).default ?? mod;
  const Ajv = ((outer as { default?: unknown }).default ?? outer) as AjvClass;
  // strict: false, because provider schemas carry keys ajv does not know (`propertyOrdering`…);
  // formats are not checked (that needs ajv-formats).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new LLMRequestError(`cassettes: the JSON Schema given to generateStructured does not compile: ${(error as Error).message}`, {
      provider,
      field: 'schema',
      allowed: 'a valid JSON Schema',
      cause: error,
    });
  }
}

/** Compiles (once per schema object) the validator of a plain JSON Schema. */
export function jsonSchemaValidator(schema: JsonSchema, provider: string): Promise<AjvValidate> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = compile(schema, provider);
    compiled.set(schema, validator);
    validator.catch(() => compiled.delete(schema));
  }
  return validator;
}

export function ajvIssues(validate: AjvValidate): LLMValidationIssue[] {
  return (validate.errors ?? []).map((error) => ({
    message: error.message ?? 'is invalid',
    path: error.instancePath
      .split('/')
      .slice(1)
      .map((part) => {
        const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
        return /^\d+$/.test(key) ? Number(key) : key;
      }),
  }));
}
