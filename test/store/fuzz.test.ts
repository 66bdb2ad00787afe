/**
 * Fuzzing: cassettes recorded from real provider traffic, damaged in thousands of ways, then
 * loaded and replayed through the public API (fetch and node:http). Each case must end in a
 * typed CassetteError (a CassetteFormatError at load for a damaged file) or a correct replay:
 * never an untyped error, never a promise that does not settle.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as realSetTimeout } from 'node:timers';
import fc from 'fast-check';
import { JSON_SCHEMA, load } from 'js-yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CassetteFormatError, cassetteFile, isCassetteError, withCassette } from '../../src/index.js';
import { startFixtureServer } from '../support/fixture-server.js';
import { fixturesAvailable, loadFixtures } from '../support/fixtures.js';
import { ROOT } from './support/cassette-files.js';
import { aliasFree, mutate, mutation } from './support/mutations.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2200);
/** Far more than any replay here takes (instant timing): a case still open after it hangs. */
const HANG_MS = 3000;

let dir: string;
const seeds: { name: string; text: string }[] = [];

/** Every cassette of the project's own, then the real fixtures recorded into cassettes at run time. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cassettes-fuzz-'));
  const own = join(ROOT, '__cassettes__');
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.yaml')) seeds.push({ name: relative(own, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(own);
  if (!fixturesAvailable()) {
    console.warn('fuzz: ../shared/fixtures/real not found: fuzzing the project’s own cassettes only');
    return;
  }
  const server = await startFixtureServer({ gapMs: 0, ttfbMs: 0 });
  try {
    for (const file of loadFixtures()) {
      server.enqueue(...file.exchanges);
      const name = `seed/${file.file.replace(/\.[a-z.]+$/, '')}`;
      await withCassette(
        name,
        async () => {
          for (const { request } of file.exchanges) {
            const body = request.bodyText ?? (request.bodyJson === undefined ? undefined : JSON.stringify(request.bodyJson));
            const init: RequestInit = { method: request.method, headers: { 'content-type': 'application/json' } };
            if (body !== undefined && request.method !== 'GET') init.body = body;
            const response = await fetch(`${server.url}${request.path}`, init);
            await response.arrayBuffer().catch(() => undefined);
          }
        },
        { dir, mode: 'all' },
      );
      seeds.push({ name: file.file, text: readFileSync(cassetteFile(name, dir), 'utf8') });
    }
  } finally {
    await server.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Replayable {
  method: string;
  url: string;
  body: string | undefined;
}

/** The requests the damaged file still describes, read leniently; the seed's when it no longer parses. */
function requestsOf(text: string, fallback: string): { requests: Replayable[]; recordedErrors: Set<string> } {
  let doc: unknown;
  try {
    doc = load(text, { schema: JSON_SCHEMA });
  } catch {
    doc = undefined;
  }
  if (doc === undefined || !aliasFree(doc)) doc = load(fallback, { schema: JSON_SCHEMA });
  const requests: Replayable[] = [];
  const recordedErrors = new Set<string>(['LLM_CASSETTE_CUT']);
  const interactions = (doc as { interactions?: unknown } | null)?.interactions;
  for (const it of Array.isArray(interactions) ? interactions : []) {
    const interaction = it as {
      request?: Record<string, unknown>;
      error?: { message?: unknown };
      response?: { end?: { error?: { message?: unknown } } };
    } | null;
    for (const message of [interaction?.error?.message, interaction?.response?.end?.error?.message])
      if (typeof message === 'string') recordedErrors.add(message);
    const request = interaction?.request;
    if (typeof request?.['method'] !== 'string' || typeof request['url'] !== 'string' || !/^https?:\/\//.test(request['url']) || !URL.canParse(request['url']))
      continue;
    const body = request['body'] as { json?: unknown; text?: unknown } | undefined;
    const text = body?.json !== undefined ? JSON.stringify(body.json) : typeof body?.text === 'string' ? body.text : undefined;
    requests.push({ method: /^[A-Z]+$/.test(request['method']) ? request['method'] : 'POST', url: request['url'], body: text });
  }
  return { requests: requests.slice(0, 4), recordedErrors };
}

function viaFetch(r: Replayable): Promise<number> {
  const init: RequestInit = { method: r.method, headers: { 'content-type': 'application/json' } };
  if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') init.body = r.body;
  return fetch(r.url, init).then(async (response) => {
    await response.arrayBuffer();
    return response.status;
  });
}

function viaHttp(r: Replayable): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(r.url);
    // node:http speaks plain HTTP only; the interceptor answers before any socket matters
    const req = httpRequest(
      { host: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: r.method, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') req.write(r.body);
    req.end();
  });
}

/** Settles within HANG_MS, or reports that it did not. */
function bounded<T>(promise: Promise<T>): Promise<{ settled: true; ok: true; value: T } | { settled: true; ok: false; error: unknown } | { settled: false }> {
  return new Promise((resolve) => {
    const timer = realSetTimeout(() => resolve({ settled: false }), HANG_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ settled: true, ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ settled: true, ok: false, error });
      },
    );
  });
}

/** An error the replay raises on purpose: a recorded network failure, or a typed CassetteError, somewhere in the cause chain. */
function replayedOrTyped(error: unknown, recorded: Set<string>): boolean {
  for (let e = error as { message?: unknown; code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (isCassetteError(e)) return true;
    if (typeof e.message === 'string' && (recorded.has(e.message) || recorded.has(String(e.code)))) return true;
  }
  return false;
}

test(`fuzz: ${RUNS} damaged cassettes from real traffic end in a CassetteFormatError or a correct replay — 0 untyped errors, 0 hangs`, {
  timeout: 300_000,
}, async () => {
  expect(seeds.length).toBeGreaterThan(0);
  const figures = { tried: 0, formatErrors: 0, otherTyped: 0, replayed: 0, untyped: 0, hangs: 0, requests: 0 };
  const problems: string[] = [];
  let serial = 0;

  await fc
    .assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (pick, mutations, http) => {
        const seed = seeds[pick % seeds.length]!;
        const text = mutate(seed.text, mutations);
        const name = `case-${++serial}`;
        const started = performance.now();
        writeFileSync(cassetteFile(name, dir), text);
        figures.tried++;
        const { requests, recordedErrors } = requestsOf(text, seed.text);
        const inner: string[] = [];
        const outcome = await bounded(
          withCassette(
            name,
            async () => {
              for (const r of requests) {
                figures.requests++;
                const result = await bounded(http && r.url.startsWith('http:') ? viaHttp(r) : viaFetch(r));
                if (!result.settled) inner.push('hang');
                else if (!result.ok && !replayedOrTyped(result.error, recordedErrors))
                  inner.push(`untyped: ${String(result.error)} / ${String((result.error as Error).cause)}`);
              }
            },
            { dir, mode: 'none' },
          ),
        );
        let bad: string | undefined;
        if (!outcome.settled) bad = 'hang';
        else if (!outcome.ok) {
          const error = outcome.error;
          if (!isCassetteError(error)) bad = `untyped: ${String(error)}`;
          else if (error instanceof CassetteFormatError) {
            figures.formatErrors++;
            if (!error.message.includes(cassetteFile(name, dir))) bad = `format error without the file: ${error.message}`;
            else if (error.field !== undefined && error.line === undefined) bad = `format error without a line: ${error.message}`;
          } else figures.otherTyped++;
        } else figures.replayed++;
        bad ??= inner[0];
        if (process.env['FUZZ_DEBUG'] && performance.now() - started > 200)
          console.info(
            `slow ${Math.round(performance.now() - started)} ms: ${seed.name} ${JSON.stringify(mutations).slice(0, 200)} ${outcome.settled && !outcome.ok ? String(outcome.error).slice(0, 200) : ''}`,
          );
        if (bad?.startsWith('hang')) figures.hangs++;
        else if (bad) figures.untyped++;
        if (bad) problems.push(`${seed.name} ${JSON.stringify(mutations).slice(0, 300)}: ${bad}`);
        return bad === undefined;
      }),
      { numRuns: RUNS, endOnFailure: true, ...(process.env['FUZZ_SEED'] ? { seed: Number(process.env['FUZZ_SEED']) } : {}) },
    )
    .finally(() => {
      console.info(
        `fuzz: ${figures.tried} mutations of ${seeds.length} cassettes (${figures.requests} requests replayed): ${figures.formatErrors} CassetteFormatError at load, ` +
          `${figures.otherTyped} other CassetteError (no match…), ${figures.replayed} replayed; ${figures.untyped} untyped errors, ${figures.hangs} hangs` +
          problems.map((p) => `\n  ${p}`).join(''),
      );
    });
  expect(problems).toEqual([]);
  expect(figures.tried).toBeGreaterThanOrEqual(2000);
});
