import { CassetteError } from '../errors.js';

/**
 * Checks that a value is plain JSON (objects, arrays, strings, finite numbers, booleans, null),
 * so that what a call recorded is exactly what its replay returns. `undefined` object properties
 * are allowed (JSON leaves them out); anything else is an LLM_CASSETTE_NOT_JSON error naming the
 * place (`root`: what the path starts with), e.g. `output.items[2].when: a Date`.
 */
export function assertJson(value: unknown, root: string, what: string): void {
  const seen = new Set<object>();
  const fail = (path: string, problem: string): never => {
    throw new CassetteError(
      'LLM_CASSETTE_NOT_JSON',
      `cassettes: ${what} is not plain JSON at ${path}: ${problem}\n` +
        `  fix:      return (or pass) plain objects, arrays, strings, finite numbers, booleans and null; convert dates and class instances first`,
    );
  };
  const visit = (item: unknown, path: string): void => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(item)) fail(path, String(item));
        return;
      case 'object': {
        if (item === null) return;
        if (seen.has(item)) fail(path, 'a circular reference');
        seen.add(item);
        if (Array.isArray(item)) {
          item.forEach((inner, i) => {
            if (inner === undefined) fail(`${path}[${i}]`, 'undefined in an array');
            visit(inner, `${path}[${i}]`);
          });
        } else {
          const proto = Object.getPrototypeOf(item);
          if (proto !== Object.prototype && proto !== null) fail(path, `a ${(item as object).constructor?.name ?? 'non-plain object'}`);
          for (const [key, inner] of Object.entries(item)) if (inner !== undefined) visit(inner, `${path}.${key}`);
        }
        seen.delete(item);
        return;
      }
      default:
        fail(path, `a ${typeof item}`);
    }
  };
  visit(value, root);
}
