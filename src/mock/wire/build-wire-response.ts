import type { MockReply } from '../../protocol/mock-reply.js';
import { buildAnthropicCountTokens, buildAnthropicMessages } from './anthropic-messages.js';
import { buildGeminiEmbeddings, buildOpenAIEmbeddings } from './embeddings.js';
import { buildErrorResponse } from './errors.js';
import { buildGeminiGenerate } from './gemini-generate.js';
import { buildOpenAIChat } from './openai-chat.js';
import { buildOpenAIResponses } from './openai-responses.js';
import { resolveReply } from './reply.js';
import type { WireResponse, WireTarget } from './types.js';

/**
 * The HTTP answer a provider would give to `requestBody` if its model said `reply`: status,
 * headers and body chunks (with delays) in that provider's exact wire format. Pure: no I/O, and
 * the same arguments always give the same bytes.
 */
export function buildWireResponse(target: WireTarget, requestBody: unknown, reply: MockReply): WireResponse {
  const resolved = resolveReply(reply, requestBody, target);
  if (resolved.error) return buildErrorResponse(target, resolved.error, resolved.seed);
  switch (target.endpoint) {
    case 'chat':
      return buildOpenAIChat(requestBody, resolved);
    case 'responses':
      return buildOpenAIResponses(requestBody, resolved);
    case 'embeddings':
      return buildOpenAIEmbeddings(requestBody, resolved);
    case 'messages':
      return buildAnthropicMessages(requestBody, resolved);
    case 'count_tokens':
      return buildAnthropicCountTokens(resolved);
    case 'generateContent':
    case 'streamGenerateContent':
      return buildGeminiGenerate(target, resolved);
    case 'embedContent':
    case 'batchEmbedContents':
      return buildGeminiEmbeddings(target, requestBody, resolved);
  }
}
