import { buildErrorResponse } from '../mock/wire/errors.js';
import type { WireProvider } from '../mock/wire/types.js';

export interface ErrorAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/**
 * An error in a provider's own JSON shape (OpenAI's `{ error: { message, type } }`, Anthropic's
 * `{ type: 'error', error }`, Gemini's `{ error: { code, message, status } }`), so its SDK raises
 * its usual error class with our message in it; OpenAI's shape for mounts of no known provider.
 * @note x-should-retry: false: the SDKs then make one attempt and surface the message.
 */
export function errorAnswer(provider: WireProvider | undefined, status: number, code: string, message: string): ErrorAnswer {
  const shape = provider ?? 'openai';
  const wire = buildErrorResponse({ provider: shape, endpoint: 'chat' }, { status, message, retryAfterMs: undefined, malformed: false }, code);
  let body = Buffer.concat(wire.chunks.map((c) => c.data));
  if (shape === 'openai') {
    // OpenAI's `code` would name a cause of its own (model_not_found for a 404): ours says what happened
    const parsed = JSON.parse(body.toString('utf8')) as { error: { code: string | null } };
    parsed.error.code = code.toLowerCase();
    body = Buffer.from(JSON.stringify(parsed, null, 2));
  }
  return {
    status,
    headers: [
      ['content-type', wire.headers['content-type'] ?? 'application/json'],
      ['x-should-retry', 'false'],
      ['x-cassettes-error', code],
      ['content-length', String(body.length)],
    ],
    body,
  };
}
