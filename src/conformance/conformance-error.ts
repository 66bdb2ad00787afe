import type { ConformanceErrorCode } from '../error-codes.js';
/** A conformance check found the provider breaking the `LLMProvider` contract. */
export class ConformanceError extends Error {
  readonly code: ConformanceErrorCode = 'LLM_CONFORMANCE_FAILED';
  override readonly name = 'ConformanceError';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(`cassettes conformance: ${message}`);
}

export function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}
