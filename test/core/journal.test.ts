import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CallRecord, type CassetteHandle, type CassetteReport, isCassetteError, readCassette, recordCall, withCassette } from '../../src/index.js';
import { isCall, isNote } from '../../src/journal/timeline.js';
import { startWireServer, type WireServer } from '../protocol/support/wire-server.js';

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer((request) => (JSON.stringify(request.body).includes('21') ? 'Take a light jacket.' : 'What is the weather?'));
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'cassettes-journal-'));

/** An agent step: a tool call the package cannot intercept, then a real SDK call that uses its result. */
async function agent(weatherApi: (city: string) => Promise<{ city: string; celsius: number }>, cassette: CassetteHandle) {
  const client = new OpenAI({ apiKey: 'sk-journal-0123456789', baseURL: `${server.origin}/v1`, maxRetries: 0 });
  const forecast = await cassette.call('tool:get_weather', { city: 'Paris' }, () => weatherApi('Paris'));
  cassette.note('after-tool', { step: 1 });
  const reply = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `It is ${forecast.celsius} °C. What to wear?` }],
  });
  return { forecast, answer: reply.choices[0]?.message.content };
}

describe('the journal: non-HTTP calls beside the HTTP traffic', () => {
  test('a tool call and an SDK call record into one timeline, and replay with the tool never run and no network', async () => {
    const dir = dirOf();
    let runs = 0;
    const weatherApi = async (city: string) => {
      runs++;
      return { city, celsius: 21 };
    };
    const recorded = await withCassette('agent/weather', (cassette) => agent(weatherApi, cassette), { dir, mode: 'once' });
    expect(runs).toBe(1);
    const data = readCassette(join(dir, 'agent/weather.yaml'));
    expect(data.version).toBe(2);
    expect(data.interactions.map((e) => (isCall(e) ? 'call' : isNote(e) ? 'note' : 'http'))).toEqual(['call', 'note', 'http']);
    const call = data.interactions[0] as CallRecord;
    expect(call.call).toMatchObject({ name: 'tool:get_weather', input: { city: 'Paris' }, output: { city: 'Paris', celsius: 21 } });
    expect(call.call.durationMs).toBeGreaterThanOrEqual(0);

    const seen = server.requests.length;
    let report: CassetteReport | undefined;
    const replayed = await withCassette('agent/weather', (cassette) => agent(weatherApi, cassette), { dir, mode: 'none', onReport: (r) => (report = r) });
    expect(replayed).toEqual(recorded);
    expect(runs).toBe(1);
    expect(server.requests.length).toBe(seen);
    expect(report).toMatchObject({ replayed: 1, calls: { replayed: 1, recorded: 0, refused: 0 }, unused: [] });
  });

  test('a call that threw replays as an equivalent error (name, message, code, JSON properties) without running', async () => {
    const dir = dirOf();
    const failing = async (): Promise<never> => {
      throw Object.assign(new Error('rate limited by the weather service'), { name: 'WeatherError', code: 'E_RATE', status: 429 });
    };
    const live = await withCassette('threw', (c) => c.call('tool:weather', { city: 'Oslo' }, failing).catch((e: unknown) => e), { dir, mode: 'once' });
    const again = await withCassette(
      'threw',
      (c) =>
        c
          .call('tool:weather', { city: 'Oslo' }, () => {
            throw new Error('must not run');
          })
          .catch((e: unknown) => e),
      { dir, mode: 'none' },
    );
    for (const error of [live, again] as (Error & { code?: string; status?: number })[]) {
      expect(error).toBeInstanceOf(Error);
      expect([error.name, error.message, error.code, error.status]).toEqual(['WeatherError', 'rate limited by the weather service', 'E_RATE', 429]);
    }
  });

  test('repeated calls replay in order; an unrecorded input is refused in mode none with a miss naming the call', async () => {
    const dir = dirOf();
    let n = 0;
    const next = async () => ++n;
    await withCassette('counter', async (c) => [await c.call('id', { kind: 'a' }, next), await c.call('id', { kind: 'a' }, next)], { dir, mode: 'once' });
    const replay = await withCassette('counter', async (c) => [await c.call('id', { kind: 'a' }, next), await c.call('id', { kind: 'a' }, next)], {
      dir,
      mode: 'none',
    });
    expect(replay).toEqual([1, 2]);
    const error = await withCassette('counter', (c) => c.call('id', { kind: 'b' }, next), { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    expect((error as Error).message).toContain('no recorded call id matches the input {"kind":"b"}');
    expect(n).toBe(2);
  });

  test('recordCall reaches the active cassette from deep inside the app, and just runs outside one', async () => {
    const dir = dirOf();
    const clock = () => recordCall('clock:now', {}, () => 1_700_000_000_000);
    expect(await clock()).toBe(1_700_000_000_000);
    await withCassette('clock', clock, { dir, mode: 'once' });
    const replayed = await withCassette('clock', () => recordCall('clock:now', {}, () => Date.now()), { dir, mode: 'none' });
    expect(replayed).toBe(1_700_000_000_000);
  });

  test('an input or output that is not plain JSON is LLM_CASSETTE_NOT_JSON naming the place', async () => {
    const dir = dirOf();
    const badInput = await withCassette('json', (c) => c.call('x', { when: new Date(0) }, () => 1), { dir, mode: 'new' }).catch((e: unknown) => e);
    expect(isCassetteError(badInput) && badInput.code).toBe('LLM_CASSETTE_NOT_JSON');
    expect((badInput as Error).message).toContain('input.when: a Date');
    const badOutput = await withCassette('json', (c) => c.call('y', {}, () => ({ items: [1, Number.NaN] })), { dir, mode: 'new' }).catch((e: unknown) => e);
    expect((badOutput as Error).message).toContain('output.items[1]: NaN');
  });

  test('inputs and outputs go through redaction: a key in a tool input never reaches the file, and the call still replays', async () => {
    const dir = dirOf();
    const key = 'sk-tool-secret-5551234567';
    process.env['OPENAI_API_KEY'] = key;
    try {
      await withCassette('redacted', (c) => c.call('tool:search', { auth: key, q: 'x' }, () => ({ echoed: key })), { dir, mode: 'once' });
      expect(readFileSync(join(dir, 'redacted.yaml'), 'utf8')).not.toContain(key);
      const out = await withCassette('redacted', (c) => c.call('tool:search', { auth: key, q: 'x' }, () => 'must not run'), { dir, mode: 'none' });
      expect(out).toEqual({ echoed: '[REDACTED]' });
    } finally {
      delete process.env['OPENAI_API_KEY'];
    }
  });

  test('a request the app sends again with the same body is stored with its attempt number', async () => {
    const dir = dirOf();
    const client = new OpenAI({ apiKey: 'sk-journal-0123456789', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'same' }] });
    await withCassette('retry', async () => [await ask(), await ask()], { dir, mode: 'once' });
    const [first, second] = readCassette(join(dir, 'retry.yaml')).interactions as { attempt?: number }[];
    expect(first?.attempt).toBeUndefined();
    expect(second?.attempt).toBe(2);
  });

  test('a version 1 file still loads and replays, and is not rewritten when nothing changes', async () => {
    const dir = dirOf();
    await withCassette(
      'v1',
      () => fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).then((r) => r.text()),
      {
        dir,
        mode: 'once',
      },
    );
    const file = join(dir, 'v1.yaml');
    const v1 = readFileSync(file, 'utf8').replace(/^version: 2/, 'version: 1');
    writeFileSync(file, v1);
    let report: CassetteReport | undefined;
    await withCassette(
      'v1',
      () => fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).then((r) => r.text()),
      {
        dir,
        mode: 'new',
        onReport: (r) => (report = r),
      },
    );
    expect(report).toMatchObject({ replayed: 1, written: false });
    expect(readFileSync(file, 'utf8')).toBe(v1);
  });
});
