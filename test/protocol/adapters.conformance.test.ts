import { afterAll, beforeAll } from 'vitest';
import type { ConformanceCapabilities, ConformanceContext } from '../../src/conformance/types.js';
import { describeProviderConformance } from '../../src/entries/conformance.js';
import type { LLMFaultKind } from '../../src/protocol/faults.js';
import type { LLMProvider } from '../../src/protocol/provider.js';
import { anthropicProvider } from '../../src/providers/anthropic-provider.js';
import { geminiProvider } from '../../src/providers/gemini-provider.js';
import { openaiProvider } from '../../src/providers/openai-provider.js';
import type { ClientOptions } from './support/sdk-clients.js';
import { anthropicClient, geminiClient, openaiClient } from './support/sdk-clients.js';
import { smartReply } from './support/smart-reply.js';
import type { Responder, WireServer } from './support/wire-server.js';
import { startWireServer } from './support/wire-server.js';

// @note The adapters against a live local server that answers in each provider's wire format
// (support/wire-server.ts); cassette-conformance.test.ts runs the same suite offline from the
// committed cassettes.
let server: WireServer;

const faultResponder: Responder = (request) => {
  const kind = /^\/fault\/([a-z-]+)\//.exec(request.url)?.[1] as LLMFaultKind | undefined;
  switch (kind) {
    case undefined:
      return smartReply(request);
    case 'timeout':
      // a client-side timeout: the server says nothing for longer than the client waits
      return { http: { status: 200, headers: { 'content-type': 'application/json' }, body: '{}', delayMs: 5000 } };
    case 'rate-limit':
      return { error: { kind, retryAfterMs: 2000 } };
    default:
      return { error: kind };
  }
};

beforeAll(async () => {
  server = await startWireServer(faultResponder);
});
afterAll(async () => {
  await server.close();
});

type Build = (baseURL: string, options: ClientOptions) => LLMProvider;

function suite(name: string, build: Build, capabilities: Omit<ConformanceCapabilities, 'faults'> = { tools: true, json: true }): void {
  describeProviderConformance(name, ({ onNetwork }: ConformanceContext) => build(server.origin, { onNetwork }), {
    capabilities: {
      ...capabilities,
      faults: (kind, { onNetwork }) => build(`${server.origin}/fault/${kind}`, { onNetwork, ...(kind === 'timeout' ? { timeoutMs: 150 } : {}) }),
    },
  });
}

suite('openaiProvider (chat) over the openai SDK', (url, o) => openaiProvider(openaiClient(url, o), { model: 'gpt-4o-mini' }));
suite('openaiProvider (responses) over the openai SDK', (url, o) => openaiProvider(openaiClient(url, o), { model: 'gpt-4o-mini', api: 'responses' }));
suite('anthropicProvider over @anthropic-ai/sdk', (url, o) => anthropicProvider(anthropicClient(url, o), { model: 'claude-haiku-4-5' }));
suite('geminiProvider over @google/genai', (url, o) => geminiProvider(geminiClient(url, o), { model: 'gemini-2.5-flash' }));
