/**
 * The Vercel AI SDK's multi-step tool loop (generateText and streamText, Google, OpenAI and
 * Anthropic providers) on the PACKED package: recorded against a local provider on 127.0.0.1,
 * then replayed in a fresh process with that provider gone. The Google provider makes up its own
 * tool-call ids (`functionCall.id`, `functionResponse.id`) on every run: the client-id normaliser
 * must let the follow-up requests match.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWireServer, type WireServer } from '../protocol/support/wire-server.js';
import { createProject, packPackage } from './support/packed.js';
import { childEnv, runNode } from './support/run.js';

const TEMPLATE = resolve(dirname(fileURLToPath(import.meta.url)), 'projects/ai-sdk');

let server: WireServer;
let project: string;

beforeAll(async () => {
  const tarball = await packPackage();
  // a tool call first; once the tool's result is in the conversation, the answer
  server = await startWireServer((request) =>
    JSON.stringify(request.body).includes('celsius') ? 'It is 21 °C in Paris.' : { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] },
  );
  project = createProject(tarball, ['ai', '@ai-sdk/google', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/provider', '@ai-sdk/provider-utils', 'zod']);
  rmSync(dirname(tarball), { recursive: true, force: true });
  cpSync(join(TEMPLATE, 'tool-loop.mjs'), join(project, 'tool-loop.mjs'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('AI SDK tool loops record, then replay in a fresh process with the provider gone: same steps, text and tool results', { timeout: 60_000 }, async () => {
  const origin = server.origin;
  const record = await runNode([join(project, 'tool-loop.mjs')], project, childEnv({ E2E_ORIGIN: origin, LLM_CASSETTE_RECORD: 'once' }));
  if (record.code !== 0) throw new Error(record.output);
  const live = JSON.parse(record.output.trim().split('\n').at(-1)!) as Record<string, unknown>;
  const requests = server.requests.length;
  // every loop took two model calls and ran the tool once
  expect(requests).toBe(12);
  expect(live['executed']).toBe(6);
  for (const provider of ['google', 'openai', 'anthropic']) {
    for (const variant of [provider, `${provider}-stream`]) {
      expect(live[variant], variant).toMatchObject({
        text: 'It is 21 °C in Paris.',
        steps: [{ toolCalls: [{ name: 'weather', input: { city: 'Paris' } }], toolResults: [{ name: 'weather', output: { city: 'Paris', celsius: 21 } }] }, {}],
      });
    }
  }
  // the Google provider sent ids it made up itself
  const google = readFileSync(join(project, '__cassettes__/tool-loop/google.yaml'), 'utf8');
  expect(google).toMatch(/functionResponse:\s*\n\s+id: /);

  await server.close();
  const replay = await runNode([join(project, 'tool-loop.mjs')], project, childEnv({ E2E_ORIGIN: origin, CI: 'true' }));
  if (replay.code !== 0) throw new Error(replay.output);
  const replayed = JSON.parse(replay.output.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect(replayed).toEqual(live);
});
