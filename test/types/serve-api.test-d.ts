/**
 * Type tests of `cassettes/serve`, `cassettes/playwright` and `cassettes/propagate` (checked by
 * `npm run typecheck`, never run).
 */
import { expectTypeOf } from 'vitest';
import type { CassetteFixture, WorkerSession } from '../../src/entries/playwright.js';
import { runWithSession, SESSION_COOKIE } from '../../src/entries/propagate.js';
import { type RunningServer, type SessionSummary, sessionClient, startServer } from '../../src/entries/serve.js';

expectTypeOf(startServer({ upstream: { openai: 'http://127.0.0.1:9000' }, key: { openai: 'env:OPENAI_API_KEY' }, timing: { speed: 2 } })).toEqualTypeOf<
  Promise<RunningServer>
>();
// @ts-expect-error a misspelt mode does not compile
startServer({ mode: 'nwe' });
// @ts-expect-error timing is instant, recorded or { speed }
startServer({ timing: 'fast' });

declare const server: RunningServer;
expectTypeOf(server.baseUrls.openai).toEqualTypeOf<string>();
expectTypeOf(server.env).toEqualTypeOf<{ OPENAI_BASE_URL: string; ANTHROPIC_BASE_URL: string; GOOGLE_GEMINI_BASE_URL: string }>();
expectTypeOf(server.close()).toEqualTypeOf<Promise<SessionSummary[]>>();

const client = sessionClient('http://127.0.0.1:1');
expectTypeOf(client.end('id')).toEqualTypeOf<Promise<SessionSummary | null>>();
expectTypeOf<SessionSummary['misses']>().toEqualTypeOf<{ message: string }[]>();
// @ts-expect-error a session names its cassette
client.open({ mode: 'none' });

expectTypeOf<CassetteFixture>().toMatchTypeOf<{ id: string; name: string; baseUrls: { openai: string } }>();
expectTypeOf<WorkerSession>().toMatchTypeOf<{ id: string; baseUrls: { anthropic: string } }>();
expectTypeOf(runWithSession('id', () => 1)).toEqualTypeOf<number>();
expectTypeOf(SESSION_COOKIE).toEqualTypeOf<string>();
