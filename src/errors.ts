import type { CassetteErrorCode } from './error-codes.js';
import { scrubMessage } from './redact/message.js';

export type { CassetteErrorCode } from './error-codes.js';

// @note Symbol.for so that a CassetteError thrown by a second copy of the package
// (Jest's per-file module registry, a nested node_modules) is still recognised.
const brand = Symbol.for('cassettes.error');

export class CassetteError extends Error {
  readonly code: CassetteErrorCode;
  /** The cassette file involved, when there is one. */
  readonly file: string | undefined;

  constructor(code: CassetteErrorCode, message: string, options: { file?: string | undefined; cause?: unknown; name?: string } = {}) {
    // @note every message goes through the one scrubber, wherever it was built: a URL in it may
    // carry `?key=…`, a hook's error may quote anything
    super(scrubMessage(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'CassetteError';
    this.code = code;
    this.file = options.file;
    Object.defineProperty(this, brand, { value: true });
    // @note Node's own style, `TypeError [ERR_X]: …`: test runners print the stack, not `code`.
    const header = `${this.name} [${code}]: `;
    const stack = this.stack;
    const plain = [`${this.name}: `, 'Error: '].find((prefix) => stack?.startsWith(prefix));
    if (stack !== undefined && plain !== undefined) this.stack = header + stack.slice(plain.length);
  }

  /**
   * @note with the code, like the stack's first line: undici's fetch keeps a failure's error only
   * if it is `instanceof Error` in its own realm, and wraps any other as `new Error(String(e))` —
   * which is what a CassetteError from the main realm becomes inside a Jest test file's realm.
   */
  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

export class NoMatchError extends CassetteError {
  readonly method: string;
  readonly url: string;
  constructor(message: string, details: { file: string; method: string; url: string }) {
    super('LLM_CASSETTE_NO_MATCH', message, { file: details.file, name: 'NoMatchError' });
    this.method = details.method;
    this.url = details.url;
  }
}

export class CassetteFormatError extends CassetteError {
  /** 1-based line of the offending YAML, when known. */
  readonly line: number | undefined;
  /** Index of the offending interaction, when the problem is inside one. */
  readonly interaction: number | undefined;
  /** Path of the offending field, `interactions[3].response.status`, when known. */
  readonly field: string | undefined;
  constructor(
    message: string,
    details: { file: string; line?: number | undefined; interaction?: number | undefined; field?: string | undefined; cause?: unknown },
  ) {
    super('LLM_CASSETTE_FORMAT', message, { file: details.file, cause: details.cause, name: 'CassetteFormatError' });
    this.line = details.line;
    this.interaction = details.interaction;
    this.field = details.field;
  }
}

export function isCassetteError(value: unknown): value is CassetteError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
