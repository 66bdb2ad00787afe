// The conformance suite over fromLanguageModel(…) of the real AI SDK providers, against the local
// wire server (faults answered by URL: /fault/<kind>/…). Every check applies: tools, JSON and all
// six fault kinds.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv3 } from 'ai-sdk-openai-v3';
import { afterAll, beforeAll } from 'vitest';
import type { AnyLanguageModel } from '../../src/entries/ai-sdk.js';
import { fromLanguageModel } from '../../src/entries/ai-sdk.js';
import { describeProviderConformance } from '../../src/entries/conformance.js';
import type { LLMFaultKind } from '../../src/entries/provider.js';
import { smartReply } from '../protocol/support/smart-reply.js';
import type { Responder, WireServer } from '../protocol/support/wire-server.js';
import { startWireServer } from '../protocol/support/wire-server.js';

let server: WireServer;
const responder: Responder = (request) => {
  const kind = /^\/fault\/([a-z-]+)\//.exec(request.url)?.[1] as LLMFaultKind | undefined;
  if (kind === undefined) return smartReply(request);
  return { error: kind === 'rate-limit' ? { kind, retryAfterMs: 2000 } : kind };
};
beforeAll(async () => {
  server = await startWireServer(responder);
});
afterAll(async () => {
  await server.close();
});

type Make = (base: string) => AnyLanguageModel;
const MODELS: readonly [string, Make, { json?: boolean }?][] = [
  ['fromLanguageModel(@ai-sdk/openai responses, v4)', (base) => createOpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, fetch: noRetry })('gpt-4o-mini')],
  ['fromLanguageModel(@ai-sdk/openai chat, v4)', (base) => createOpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, fetch: noRetry }).chat('gpt-4o-mini')],
  // @note @ai-sdk/anthropic has no JSON mode without a schema (it warns, and fromLanguageModel
  // refuses the request): the JSON checks, which ask for both, do not apply
  [
    'fromLanguageModel(@ai-sdk/anthropic, v4)',
    (base) => createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${base}/v1`, fetch: noRetry })('claude-haiku-4-5'),
    { json: false },
  ],
  [
    'fromLanguageModel(@ai-sdk/google, v4)',
    (base) => createGoogleGenerativeAI({ apiKey: 'g-test', baseURL: `${base}/v1beta`, fetch: noRetry })('gemini-2.5-flash'),
  ],
  [
    'fromLanguageModel(@ai-sdk/openai responses, v3)',
    (base) => createOpenAIv3({ apiKey: 'sk-test', baseURL: `${base}/v1`, fetch: noRetry })('gpt-4o-mini') as AnyLanguageModel,
  ],
];

/** The global fetch, looked up per call (the one the interceptor watches). */
function noRetry(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init);
}

for (const [name, make, only] of MODELS) {
  describeProviderConformance(name, () => fromLanguageModel(make(server.origin)), {
    capabilities: { tools: true, json: only?.json ?? true, faults: (kind) => fromLanguageModel(make(`${server.origin}/fault/${kind}`)) },
  });
}
