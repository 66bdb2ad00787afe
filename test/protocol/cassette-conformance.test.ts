// The conformance suite against the three adapters over the real SDK clients (on their real
// default hosts), replayed offline from the cassettes committed in __cassettes__/conformance/.
//
// Re-record them (synthetic answers from withMockLLM + support/conformance-script.ts; no API key,
// no network), then commit the changed files:
//
//   LLM_CASSETTE_RECORD=all npm exec -- vitest run test/protocol/cassette-conformance.test.ts
//
// (LLM_CASSETTE_RECORD=new records only the cassettes that are missing.)
//
// Recording runs every conformance check once, in sequence, against each adapter inside ONE
// withCassette (mode `all`) per adapter, then keeps one interaction per distinct request; each
// fault kind gets its own small cassette. The replay suites below then run in the same process.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, test, vi } from 'vitest';
import { loadCassette } from '../../src/cassette/store.js';
import { conformanceChecks } from '../../src/conformance/checks.js';
import { HELLO } from '../../src/conformance/requests.js';
import { describeProviderConformance } from '../../src/entries/conformance.js';
import { httpInteractions } from '../../src/journal/timeline.js';
import type { WireMockScript } from '../../src/mock/with-mock-llm.js';
import type { LLMFaultKind } from '../../src/protocol/faults.js';
import { FAULT_KINDS } from '../../src/protocol/faults.js';
import type { LLMProvider } from '../../src/protocol/provider.js';
import { anthropicProvider } from '../../src/providers/anthropic-provider.js';
import { geminiProvider } from '../../src/providers/gemini-provider.js';
import { openaiProvider } from '../../src/providers/openai-provider.js';
import type { CassetteReport } from '../../src/types.js';
import { cassetteFile } from '../../src/with-cassette.js';
import type { RecordOptions } from './support/cassette-provider.js';
import { CASSETTE_DIR, cassetteProvider, recordCassette } from './support/cassette-provider.js';
import { conformanceScript, faultScript } from './support/conformance-script.js';

const RECORD_MODE = process.env['LLM_CASSETTE_RECORD'];
const RECORDING = RECORD_MODE === 'all' || RECORD_MODE === 'new';

// Fake keys: nothing real is ever called. The cassettes must not contain them either.
const KEYS = {
  openai: 'sk-test-conformance-not-a-real-key',
  anthropic: 'sk-ant-test-conformance-not-a-real-key',
  gemini: 'gemini-test-conformance-not-a-real-key',
} as const;

/** The SDK's `fetch`, reporting each HTTP request it makes to the suite's network counter. */
function countingFetch(onNetwork: () => void): typeof fetch {
  return (input, init) => {
    onNetwork();
    // the global fetch, looked up per call: the one cassettes intercepts
    return globalThis.fetch(input, init);
  };
}

// @note maxRetries 0: the SDKs retry 429/5xx twice by default, which would hide the error
// mapping under test (and each retry would need its own recorded interaction).
interface Adapter {
  readonly id: string;
  readonly label: string;
  readonly host: string;
  build(onNetwork: () => void): LLMProvider;
}

const ADAPTERS: readonly Adapter[] = [
  {
    id: 'openai-chat',
    label: 'openaiProvider (chat)',
    host: 'api.openai.com',
    build: (onNetwork) => openaiProvider(new OpenAI({ apiKey: KEYS.openai, maxRetries: 0, fetch: countingFetch(onNetwork) }), { model: 'gpt-4o-mini' }),
  },
  {
    id: 'openai-responses',
    label: 'openaiProvider (responses)',
    host: 'api.openai.com',
    build: (onNetwork) =>
      openaiProvider(new OpenAI({ apiKey: KEYS.openai, maxRetries: 0, fetch: countingFetch(onNetwork) }), {
        model: 'gpt-4o-mini',
        api: 'responses',
      }),
  },
  {
    id: 'anthropic',
    label: 'anthropicProvider',
    host: 'api.anthropic.com',
    build: (onNetwork) =>
      anthropicProvider(new Anthropic({ apiKey: KEYS.anthropic, maxRetries: 0, fetch: countingFetch(onNetwork) }), {
        model: 'claude-haiku-4-5',
      }),
  },
  {
    id: 'gemini',
    label: 'geminiProvider',
    host: 'generativelanguage.googleapis.com',
    build: (onNetwork) =>
      geminiProvider(new GoogleGenAI({ apiKey: KEYS.gemini, httpOptions: { fetch: countingFetch(onNetwork) } }), {
        model: 'gemini-2.5-flash',
      }),
  },
];

const mainCassette = (adapter: Adapter): string => `conformance/${adapter.id}`;
const faultCassette = (adapter: Adapter, kind: LLMFaultKind): string => `conformance/${adapter.id}-fault-${kind}`;
const ALL_CASSETTES = ADAPTERS.flatMap((adapter) => [mainCassette(adapter), ...FAULT_KINDS.map((kind) => faultCassette(adapter, kind))]);

const ignore = (): void => undefined;

/** Records `cassette` unless it exists and only the missing ones are asked for (`new`). */
async function recordIfAsked(cassette: string, script: WireMockScript, fn: () => Promise<void>, options: RecordOptions = {}): Promise<void> {
  if (RECORD_MODE === 'new' && existsSync(cassetteFile(cassette, CASSETTE_DIR))) return;
  await recordCassette(cassette, script, fn, options);
}

if (RECORDING) {
  describe(`recording the conformance cassettes (LLM_CASSETTE_RECORD=${RECORD_MODE})`, () => {
    for (const adapter of ADAPTERS) {
      test(`records ${mainCassette(adapter)} and its fault cassettes`, { timeout: 120_000 }, async () => {
        // Every check of the suite, in sequence: the cassette holds every request the suite makes.
        await recordIfAsked(mainCassette(adapter), conformanceScript, async () => {
          const checks = conformanceChecks(({ onNetwork }) => adapter.build(onNetwork), { capabilities: { tools: true, json: true } });
          for (const check of checks) await check.run();
        });
        // The fault checks make one complete() and one stream() of HELLO per kind.
        for (const kind of FAULT_KINDS) {
          await recordIfAsked(
            faultCassette(adapter, kind),
            faultScript(kind),
            async () => {
              const provider = adapter.build(ignore);
              await provider.complete(HELLO).catch(ignore);
              try {
                for await (const _event of provider.stream(HELLO)) {
                  // drain
                }
              } catch {
                // the fault, expected
              }
            },
            // a 401 is normally refused while recording (a missing key); here it is the point
            kind === 'authentication' ? { recordAuthFailures: true } : {},
          );
        }
      });
    }
  });
}

for (const adapter of ADAPTERS) {
  describeProviderConformance(`${adapter.label}, replayed`, ({ onNetwork }) => cassetteProvider(adapter.build(onNetwork), mainCassette(adapter)), {
    capabilities: {
      tools: true,
      json: true,
      faults: (kind, { onNetwork }) => cassetteProvider(adapter.build(onNetwork), faultCassette(adapter, kind)),
    },
  });
}

describe('cassetteProvider', () => {
  test('an early break closes the inner stream at once and ends its cassette session', async () => {
    const adapter = ADAPTERS[0]!;
    const inner = adapter.build(ignore);
    let returned = 0;
    const spy: LLMProvider = {
      ...inner,
      stream: (request, options) => ({
        [Symbol.asyncIterator]: () => {
          const iterator = inner.stream(request, options)[Symbol.asyncIterator]();
          return {
            next: () => iterator.next(),
            return: async () => {
              returned++;
              return (await iterator.return?.()) ?? { done: true, value: undefined };
            },
          };
        },
      }),
    };
    const reports: CassetteReport[] = [];
    const provider = cassetteProvider(spy, mainCassette(adapter), { onReport: (report) => reports.push(report) });
    let events = 0;
    for await (const event of provider.stream(HELLO)) {
      expect(event.type).not.toBe('finish');
      events++;
      break;
    }
    expect(events).toBe(1);
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 1000 });
    expect(returned).toBe(1);
    expect(reports[0]).toMatchObject({ mode: 'none', replayed: 1, refused: 0, written: false });
  });
});

describe('the committed conformance cassettes', () => {
  test('exist, parse, hold interactions with the real default hosts and contain no API key', async () => {
    const secretPatterns = [/sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/, /AIza[0-9A-Za-z_-]{30,}/, /[?&](?:key|api_key)=/i];
    const envKeys = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY']
      .map((name) => process.env[name])
      .filter((value): value is string => !!value && value.length >= 8);
    for (const adapter of ADAPTERS) {
      for (const name of [mainCassette(adapter), ...FAULT_KINDS.map((kind) => faultCassette(adapter, kind))]) {
        const file = cassetteFile(name, CASSETTE_DIR);
        const loaded = await loadCassette(file);
        expect(loaded, `${file} is missing: record it (see the top of this file)`).toBeDefined();
        const { data, text } = loaded!;
        expect(data.interactions.length, file).toBeGreaterThan(0);
        for (const value of [...Object.values(KEYS), ...envKeys]) expect(text.includes(value), `${file} contains an API key`).toBe(false);
        for (const pattern of secretPatterns) expect(pattern.test(text), `${file} matches ${pattern}`).toBe(false);
        for (const { request } of httpInteractions(data)) {
          expect(new URL(request.url).host, file).toBe(adapter.host);
          for (const [header, value] of Object.entries(request.headers)) {
            if (['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'].includes(header.toLowerCase())) {
              expect(value, `${file}: ${header}`).toBe('[REDACTED]');
            }
          }
        }
      }
    }
    expect(ALL_CASSETTES).toHaveLength(ADAPTERS.length * (1 + FAULT_KINDS.length));
    // small enough to review: a few hundred KB in all
    const sizes = await Promise.all(ALL_CASSETTES.map(async (name) => (await readFile(cassetteFile(name, CASSETTE_DIR))).length));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1_000_000);
  });
});
