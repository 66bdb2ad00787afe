/**
 * End to end: `cassettes/ai-sdk` in a user project with the PACKED package, against the AI SDK's
 * current major (`ai` 7, `@ai-sdk/openai` 4) and the one before (`ai` 6, `@ai-sdk/openai` 3):
 *   - generateText with a tool loop and streamText on toLanguageModel(MockLLMProvider.toolCalling(…));
 *   - the conformance suite over fromLanguageModel(openai('gpt-4o-mini')), recorded from the local
 *     test server, then replayed in a fresh process with the server gone: every check passes,
 *     the abort checks included.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conformanceChecks } from '../../src/entries/conformance.js';
import { MockLLMProvider } from '../../src/entries/provider.js';
import type { LLMFaultKind } from '../../src/protocol/faults.js';
import { smartReply } from '../protocol/support/smart-reply.js';
import type { Responder, WireServer } from '../protocol/support/wire-server.js';
import { startWireServer } from '../protocol/support/wire-server.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv, runNode } from './support/run.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/ai-sdk-bridge');

const VERSIONS = {
  'ai 7': { tools: ['ai', '@ai-sdk/openai', 'zod'], spec: 'v4' },
  'ai 6': { tools: ['ai=ai-v6', '@ai-sdk/openai=ai-sdk-openai-v3', 'zod'], spec: 'v3' },
} as const;
type Version = keyof typeof VERSIONS;

const projects = new Map<Version, string>();

beforeAll(async () => {
  const tarball = await packPackage();
  for (const [version, { tools }] of Object.entries(VERSIONS) as [Version, (typeof VERSIONS)[Version]][]) {
    const project = createProject(tarball, [...tools]);
    cpSync(PROJECT, project, { recursive: true });
    projects.set(version, project);
  }
  rmSync(dirname(tarball), { recursive: true, force: true });
}, 180_000);

afterAll(() => {
  for (const project of projects.values()) rmSync(project, { recursive: true, force: true });
});

function json<T>(output: string): T {
  const line = output.split('\n').find((l) => l.startsWith('{') || l.startsWith('['));
  if (!line) throw new Error(`no JSON in the output:\n${output}`);
  return JSON.parse(line) as T;
}

interface ToolLoop {
  specificationVersion: string;
  generate: { text: string; steps: { finishReason: string; toolCalls: { name: string; input: unknown }[]; toolResults: unknown[] }[] };
  stream: { chunks: string[]; finishReason: string };
  streamLoop: { text: string; steps: number };
  executed: string[];
}

describe.each(Object.keys(VERSIONS) as Version[])('%s', (version) => {
  test('generateText runs a tool loop, and streamText streams, on toLanguageModel(MockLLMProvider…)', { timeout: 60_000 }, async () => {
    const project = projects.get(version)!;
    const run = await runNode([join(project, 'tool-loop.mjs')], project, childEnv({ SPEC: VERSIONS[version].spec }), 50_000);
    expect(run.code, run.output).toBe(0);
    const result = json<ToolLoop>(run.output);
    expect(result.specificationVersion).toBe(VERSIONS[version].spec);
    expect(result.generate).toEqual({
      text: 'It is 21 °C and clear in Paris.',
      steps: [
        {
          finishReason: 'tool-calls',
          toolCalls: [{ name: 'get_weather', input: { city: 'Paris' } }],
          toolResults: [{ city: 'Paris', sky: 'clear', temperatureC: 21 }],
        },
        { finishReason: 'stop', toolCalls: [], toolResults: [] },
      ],
    });
    expect(result.stream).toEqual({ chunks: ['Stre', 'amed', ' one', ' chu', 'nk a', 't a ', 'time', '.'], finishReason: 'stop' });
    expect(result.streamLoop).toEqual({ text: 'It is 21 °C and clear in Paris.', steps: 2 });
    expect(result.executed).toEqual(['Paris', 'Paris']);
  });

  test('the conformance suite over fromLanguageModel(openai(…)) is recorded from the local server, then passes replayed with no server', {
    timeout: 150_000,
  }, async () => {
    const project = projects.get(version)!;
    let server: WireServer | undefined;
    const responder: Responder = (request) => {
      const kind = /^\/fault\/([a-z-]+)\//.exec(request.url)?.[1] as LLMFaultKind | undefined;
      if (kind === undefined) return smartReply(request);
      return { error: kind === 'rate-limit' ? { kind, retryAfterMs: 2000 } : kind };
    };
    server = await startWireServer(responder);
    const origin = server.origin;
    let recording: { output: string; code: number | null };
    try {
      recording = await runNode([join(project, 'conformance.mjs')], project, childEnv({ SERVER_URL: origin, LLM_CASSETTE_RECORD: 'all' }), 120_000);
    } finally {
      await server.close();
      server = undefined;
    }
    expect(recording.code, recording.output).toBe(0);
    const names = conformanceChecks(() => new MockLLMProvider(), { capabilities: { tools: true, json: true, faults: () => new MockLLMProvider() } }).map(
      (c) => c.name,
    );
    const recorded = json<{ name: string; status: string; error?: string }[]>(recording.output);
    expect(recorded.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(readdirSync(join(project, '__cassettes__/conformance'))).toEqual(['openai.yaml']);

    // a fresh process, the server gone: everything comes from the cassettes
    const replay = await runNode([join(project, 'conformance.mjs')], project, childEnv({ SERVER_URL: origin, LLM_CASSETTE_RECORD: 'none' }), 120_000);
    expect(replay.code, replay.output).toBe(0);
    const replayed = json<{ name: string; status: string; error?: string }[]>(replay.output);
    expect(replayed.map((r) => r.name)).toEqual(names);
    expect(replayed.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(replayed.map((r) => r.name)).toEqual(
      expect.arrayContaining(['aborting mid-stream rejects the next pull promptly, closes the stream and leaves nothing behind']),
    );
  });
});
