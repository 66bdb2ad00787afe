import type { LLMFinishReason } from '../../protocol/response.js';
import { stableId } from './deterministic.js';
import { geminiSseJson, prettyJson, textPieces, utf8 } from './encode.js';
import { providerHeaders } from './headers.js';
import type { ResolvedReply } from './reply.js';
import type { WireResponse, WireTarget } from './types.js';

type Json = Record<string, unknown>;

const FINISH: Record<LLMFinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
  error: 'OTHER',
};

function usageMetadata(reply: ResolvedReply, final: boolean): Json {
  const details = [{ modality: 'TEXT', tokenCount: reply.inputTokens }];
  // @note Early stream frames report only the prompt; the last one has the final counts (seen).
  if (!final) return { promptTokenCount: reply.inputTokens, totalTokenCount: reply.inputTokens, promptTokensDetails: details };
  return {
    promptTokenCount: reply.inputTokens,
    candidatesTokenCount: reply.outputTokens,
    totalTokenCount: reply.inputTokens + reply.outputTokens,
    promptTokensDetails: details,
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: reply.outputTokens }],
  };
}

/** `:generateContent` (WIRE-FORMATS §3.2) or `:streamGenerateContent` as SSE (§3.3) or JSON array (§3.4). */
export function buildGeminiGenerate(target: WireTarget, reply: ResolvedReply): WireResponse {
  const modelVersion = target.model ?? 'gemini-2.5-flash';
  const responseId = stableId(`${reply.seed}/id`, 23);
  const finishReason = FINISH[reply.finishReason];
  const callParts: Json[] = reply.toolCalls.map((call) => ({
    functionCall: { ...(call.id === undefined ? {} : { id: call.id }), name: call.name, args: call.arguments },
  }));

  if (target.endpoint === 'generateContent') {
    const parts: Json[] = [...(reply.content !== '' || callParts.length === 0 ? [{ text: reply.content }] : []), ...callParts];
    const payload = {
      candidates: [{ content: { parts, role: 'model' }, finishReason, index: 0 }],
      usageMetadata: usageMetadata(reply, true),
      modelVersion,
      responseId,
    };
    return {
      status: 200,
      headers: providerHeaders('gemini', reply.seed, 'application/json; charset=UTF-8'),
      chunks: [{ data: utf8(prettyJson(payload)), delayMs: 0 }],
    };
  }

  // One frame per text piece, then one per function call (each arrives whole).
  const frameParts: Json[][] = [...textPieces(reply.content).map((text) => [{ text }]), ...callParts.map((part) => [part])];
  if (frameParts.length === 0) frameParts.push([{ text: '' }]);
  const frames = frameParts.map((parts, i): Json => {
    const last = i === frameParts.length - 1;
    return {
      // @note Current models (gemini-3) send `index: 0` on stream candidates; gemini-2.0 did not.
      candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason } : {}), index: 0 }],
      usageMetadata: usageMetadata(reply, last),
      modelVersion,
      responseId,
    };
  });
  const delay = (i: number): number => (i === 0 ? 0 : reply.chunkDelayMs);

  if (target.streamFormat === 'sse') {
    const headers = providerHeaders('gemini', reply.seed, 'text/event-stream');
    headers['content-disposition'] = 'attachment';
    return {
      status: 200,
      headers,
      chunks: frames.map((frame, i) => ({ data: utf8(`data: ${geminiSseJson(frame)}\r\n\r\n`), delayMs: delay(i) })),
    };
  }
  // @note The JSON-array stream: `[` + object + `\n,\r\n` + object … + `\n]` (seen), written as it goes.
  const pretty = (frame: Json): string => JSON.stringify(frame, null, 2);
  const chunks = frames.map((frame, i) => ({ data: utf8(`${i === 0 ? '[' : '\n,\r\n'}${pretty(frame)}`), delayMs: delay(i) }));
  chunks.push({ data: utf8('\n]'), delayMs: 0 });
  return { status: 200, headers: providerHeaders('gemini', reply.seed, 'application/json; charset=UTF-8'), chunks };
}
