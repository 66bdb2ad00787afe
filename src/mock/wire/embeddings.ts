import { estimateTokens } from '../../protocol/token-estimate.js';
import { stableVector } from './deterministic.js';
import { float32Base64, prettyJson, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import type { ResolvedReply } from './reply.js';
import { requestField } from './reply.js';
import type { WireResponse, WireTarget } from './types.js';

const OPENAI_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
};

function inputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [JSON.stringify(input ?? '')];
  // @note A flat number array is one tokenised input; an array of arrays is several.
  if (input.every((item) => typeof item === 'number')) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** OpenAI `/v1/embeddings` (WIRE-FORMATS §1.7): one stable unit vector per input. */
export function buildOpenAIEmbeddings(body: unknown, reply: ResolvedReply): WireResponse {
  const model = typeof requestField(body, 'model') === 'string' ? (requestField(body, 'model') as string) : 'text-embedding-3-small';
  const requested = requestField(body, 'dimensions');
  const dimensions = typeof requested === 'number' ? requested : (OPENAI_DIMENSIONS[model] ?? 1536);
  const base64 = requestField(body, 'encoding_format') === 'base64';
  const texts = inputs(requestField(body, 'input'));
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  const payload = {
    object: 'list',
    data: texts.map((text, index) => {
      const vector = stableVector(`${model}\n${text}`, dimensions);
      return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
  const headers = providerHeaders('openai', reply.seed, 'application/json');
  headers['openai-model'] = model;
  return { status: 200, headers, chunks: [{ data: utf8(prettyJson(payload)), delayMs: 0 }] };
}

function geminiDimensions(model: string, requested: unknown): number {
  if (typeof requested === 'number') return requested;
  return model.startsWith('gemini-embedding') ? 3072 : 768;
}

function contentText(content: unknown): string {
  const parts = (content as { parts?: unknown } | undefined)?.parts;
  if (!Array.isArray(parts)) return JSON.stringify(content ?? '');
  return parts.map((part) => (typeof part?.text === 'string' ? part.text : JSON.stringify(part))).join('');
}

/** Gemini `:embedContent` → `{embedding}`, `:batchEmbedContents` → `{embeddings: […]}` (WIRE-FORMATS §3.5). */
export function buildGeminiEmbeddings(target: WireTarget, body: unknown, reply: ResolvedReply): WireResponse {
  const model = target.model ?? 'gemini-embedding-001';
  const embed = (request: unknown): { values: number[] } => ({
    values: stableVector(`${model}\n${contentText(requestField(request, 'content'))}`, geminiDimensions(model, requestField(request, 'outputDimensionality'))),
  });
  const requests = requestField(body, 'requests');
  const payload = target.endpoint === 'batchEmbedContents' ? { embeddings: (Array.isArray(requests) ? requests : []).map(embed) } : { embedding: embed(body) };
  return {
    status: 200,
    headers: providerHeaders('gemini', reply.seed, 'application/json; charset=UTF-8'),
    chunks: [{ data: utf8(prettyJson(payload)), delayMs: 0 }],
  };
}
