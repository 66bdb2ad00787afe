import type { WireTarget } from './types.js';

const GEMINI_PATH = /\/(?:v1beta|v1alpha|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;

/**
 * Recognises an LLM API call by the shape of its path only, so any host, proxy or base URL
 * (Azure-style prefixes, a local gateway) is recognised the same way.
 */
export function detectEndpoint(method: string, url: string | URL): WireTarget | undefined {
  if (method.toUpperCase() !== 'POST') return undefined;
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url, 'http://localhost') : url;
  } catch {
    return undefined;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1/chat/completions') || path.endsWith('/chat/completions')) {
    return { provider: 'openai', endpoint: 'chat' };
  }
  if (path.endsWith('/v1/responses')) return { provider: 'openai', endpoint: 'responses' };
  if (path.endsWith('/v1/embeddings')) return { provider: 'openai', endpoint: 'embeddings' };
  if (path.endsWith('/v1/messages/count_tokens')) return { provider: 'anthropic', endpoint: 'count_tokens' };
  if (path.endsWith('/v1/messages')) return { provider: 'anthropic', endpoint: 'messages' };
  // @note `:` may arrive percent-encoded from some clients.
  const match = GEMINI_PATH.exec(decodeURIComponent(path));
  if (!match) return undefined;
  const model = match[1] as string;
  const endpoint = match[2] as 'generateContent' | 'streamGenerateContent' | 'embedContent' | 'batchEmbedContents';
  if (endpoint === 'streamGenerateContent') {
    return { provider: 'gemini', endpoint, model, streamFormat: parsed.searchParams.get('alt') === 'sse' ? 'sse' : 'json-array' };
  }
  return { provider: 'gemini', endpoint, model };
}
