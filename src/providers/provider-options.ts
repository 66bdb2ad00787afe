import type { LLMRequest } from '../protocol/request.js';
import type { JsonRecord } from './read.js';

/**
 * `body` with `request.providerOptions[key]` merged in as given (the provider's own wire names):
 * the escape hatch for what `LLMRequest` does not name. The caller's fields win.
 */
export function withProviderOptions(body: JsonRecord, request: LLMRequest, key: string): JsonRecord {
  const extra = request.providerOptions?.[key];
  return extra ? { ...body, ...extra } : body;
}
