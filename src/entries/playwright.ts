/**
 * `import { test, expect } from 'cassettes/playwright'`: Playwright tests whose app's LLM calls
 * (made in another process: an app server, a Python service) record to and replay from a cassette
 * per test, through a running `cassettes serve` (found through CASSETTES_URL).
 */
import { test as base, expect, type TestInfo } from '@playwright/test';
import { cassetteNameFor } from '../naming.js';
import { sessionClient } from '../serve/client.js';
import { SESSION_COOKIE } from '../serve/constants.js';
import type { BaseUrls } from '../serve/context.js';
import type { SessionSummary } from '../serve/summary.js';
import type { RecordMode, TimingMode } from '../types.js';

/** The test's cassette: its name, and the session (and base URLs) that reach it. */
export interface CassetteFixture {
  id: string;
  name: string;
  baseUrls: BaseUrls;
}

/** The worker's session: start an app server per worker with these base URLs. */
export interface WorkerSession {
  id: string;
  baseUrls: BaseUrls;
}

/**
 * `test.use({ cassetteOptions: { mode: 'new' } })`: the mode and timing of the tests' cassettes
 * (else the server's), or a cassette name of their own (else named after the test).
 */
export interface CassetteOptions {
  name?: string;
  mode?: RecordMode;
  timing?: TimingMode;
}

export interface CassetteTestFixtures {
  cassette: CassetteFixture;
  cassetteOptions: CassetteOptions;
}

export interface CassetteWorkerFixtures {
  workerSession: WorkerSession;
}

/** The cassette name of a Playwright test: its file, then its describe blocks and title, as for Vitest. */
export function cassetteNameOf(testInfo: Pick<TestInfo, 'file' | 'titlePath'>): string {
  return cassetteNameFor({ file: testInfo.file, titles: testInfo.titlePath.slice(1) });
}

function report(summary: SessionSummary): string {
  const problems = [...summary.misses.map((m) => m.message), ...summary.errors.map((e) => e.message)];
  return `${summary.file}: ${summary.replayed} replayed, ${summary.recorded} recorded, ${problems.length} problem(s)\n\n${problems.join('\n\n')}\n`;
}

/**
 * @note one session per worker, re-pointed at each test's cassette: a worker runs its tests one
 * after another, so an app server per worker (started with `workerSession.baseUrls`) and one
 * shared app server (told the session by the cookie, forwarded by `cassettes/propagate`) reach the
 * same cassette, the running test's, and nothing needs to know which of the two the suite uses.
 * Between tests the session has no cassette: a late call is refused rather than recorded into the
 * next test's cassette.
 */
export const test = base.extend<CassetteTestFixtures, CassetteWorkerFixtures>({
  cassetteOptions: [{}, { option: true }],

  workerSession: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const client = sessionClient();
      const session = await client.open(null);
      await use({ id: session.id, baseUrls: session.baseUrls });
      await client.end(session.id);
    },
    { scope: 'worker' },
  ],

  cassette: [
    async ({ workerSession, cassetteOptions }, use, testInfo) => {
      const client = sessionClient();
      const name = cassetteOptions.name ?? cassetteNameOf(testInfo);
      await client.repoint(workerSession.id, { ...cassetteOptions, name });
      await use({ id: workerSession.id, name, baseUrls: workerSession.baseUrls });
      const { left } = await client.repoint(workerSession.id, null);
      if (left && (left.misses.length > 0 || left.errors.length > 0)) {
        await testInfo.attach('cassettes', { body: report(left), contentType: 'text/plain' });
        const first = left.misses[0]?.message ?? left.errors[0]?.message ?? '';
        throw new Error(`cassette "${name}" failed (the full report is attached as "cassettes"):\n${first}`);
      }
    },
    { auto: true },
  ],

  context: async ({ context, cassette, baseURL }, use) => {
    // @note cookies ignore ports: one per loopback name reaches an app on any local port
    const cookies = [
      { name: SESSION_COOKIE, value: cassette.id, domain: 'localhost', path: '/' },
      { name: SESSION_COOKIE, value: cassette.id, domain: '127.0.0.1', path: '/' },
    ];
    if (baseURL) cookies.push({ name: SESSION_COOKIE, value: cassette.id, domain: new URL(baseURL).hostname, path: '/' });
    await context.addCookies(cookies);
    await use(context);
  },
});

export { expect };
