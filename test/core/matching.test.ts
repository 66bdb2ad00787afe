import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isCassetteError, requestKey, withCassette } from '../../src/index.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer(echoHandler());
});
afterAll(() => server.close());

const dirOf = (): string => mkdtempSync(join(tmpdir(), 'llmc-match-'));

function post(body: string, headers: Record<string, string> = {}, path = '/v1/chat/completions', origin = server.url): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('request keys', () => {
  const base = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: {} };

  test('key order and whitespace in a JSON body do not matter', () => {
    const a = requestKey({ ...base, body: JSON.parse('{"model":"m","temperature":0.2,"messages":[{"role":"user","content":"hi"}]}') });
    const b = requestKey({ ...base, body: JSON.parse('{ "messages": [ {"content": "hi", "role": "user"} ], "temperature": 0.2, "model": "m" }') });
    expect(a).toBe(b);
  });

  test('a body already in key order keys the same as any other order, integer-like keys and all', () => {
    // the sorted form is what a cassette stores; the SDK sends its own order
    const sorted = '{"logit_bias":{"10":1,"2":-1},"messages":[{"content":"hi","role":"user"}],"model":"m","stop":["a","b"]}';
    const shuffled = '{"model":"m","stop":["a","b"],"messages":[{"role":"user","content":"hi"}],"logit_bias":{"2":-1,"10":1}}';
    const a = requestKey({ ...base, body: JSON.parse(sorted) });
    expect(requestKey({ ...base, body: JSON.parse(shuffled) })).toBe(a);
    expect(requestKey({ ...base, body: { ...JSON.parse(sorted), extra: undefined } })).toBe(a);
    expect(requestKey({ ...base, body: JSON.parse(sorted.replace('"2":-1', '"2":-2')) })).not.toBe(a);
    expect(requestKey({ ...base, body: JSON.parse(sorted.replace('["a","b"]', '["b","a"]')) })).not.toBe(a);
  });

  test('every option counts', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    const keys = new Set(
      [{}, { temperature: 0.7 }, { top_p: 0.5 }, { stop: ['x'] }, { tools: [] }, { response_format: { type: 'json_object' } }].map((extra) =>
        requestKey({ ...base, body: { ...body, ...extra } }),
      ),
    );
    expect(keys.size).toBe(6);
  });

  test('noisy headers and secrets do not key a request; anthropic-beta does', () => {
    const body = { model: 'm' };
    const a = requestKey({ ...base, headers: { 'user-agent': 'OpenAI/JS 7.0', 'x-stainless-retry-count': '0', authorization: 'Bearer a' }, body });
    const b = requestKey({
      ...base,
      headers: { 'user-agent': 'OpenAI/JS 7.9', 'x-stainless-retry-count': '2', authorization: 'Bearer b', 'x-goog-api-client': 'x' },
      body,
    });
    expect(a).toBe(b);
    expect(requestKey({ ...base, headers: { 'anthropic-beta': 'tools-2024' }, body })).not.toBe(a);
  });

  test('query order does not matter; secret query params are left out', () => {
    const k = (url: string): string => requestKey({ method: 'GET', url, headers: {}, body: undefined });
    expect(k('https://x.test/v1/models?b=2&a=1&key=SECRET1')).toBe(k('https://x.test/v1/models?a=1&b=2&key=OTHER22'));
    expect(k('https://x.test/v1/models?a=1')).not.toBe(k('https://x.test/v1/models?a=2'));
  });
});

describe('matching through withCassette', () => {
  test('another API key, user-agent and key order still replay; another temperature is a miss with a diff', async () => {
    const dir = dirOf();
    await withCassette(
      'keys',
      () =>
        post('{"model":"m","temperature":0.2,"messages":[{"role":"user","content":"hi"}]}', {
          authorization: 'Bearer sk-first-key-000001',
          'user-agent': 'a/1',
        }).then((r) => r.json()),
      { dir, mode: 'once' },
    );
    const seen = server.seen.length;
    const replayed = await withCassette(
      'keys',
      () =>
        post('{"messages":[{"content":"hi","role":"user"}],"temperature":0.2,"model":"m"}', {
          authorization: 'Bearer sk-other-key-000002',
          'user-agent': 'b/2',
        }).then((r) => r.json()),
      { dir, mode: 'none' },
    );
    expect(replayed).toMatchObject({ echo: 'hi', temperature: 0.2 });
    expect(server.seen.length).toBe(seen);

    let status = 0;
    const error = await withCassette(
      'keys',
      async () => {
        const res = await post('{"model":"m","temperature":0.7,"messages":[{"role":"user","content":"hi"}]}', { authorization: 'Bearer sk-other-key-000002' });
        status = res.status;
        expect(res.headers.get('x-should-retry')).toBe('false');
        return res.json();
      },
      { dir, mode: 'none' },
    ).catch((e: unknown) => e);
    expect(status).toBe(400);
    expect(server.seen.length).toBe(seen);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    const message = (error as Error).message;
    expect(message).toContain(`POST ${server.url}/v1/chat/completions`);
    expect(message).toContain(join(dir, 'keys.yaml'));
    expect(message).toContain('mode: none');
    expect(message).toContain('interaction #0 (same URL)');
    expect(message).toContain('temperature: 0.2 → 0.7');
    expect(message).toContain('--record=new');
    expect(message).not.toContain('sk-other-key-000002');
  });

  test('the miss still fails the cassette when the code swallows the SDK error', async () => {
    const dir = dirOf();
    await withCassette('swallow', () => post('{"a":1}').then((r) => r.text()), { dir, mode: 'once' });
    const error = await withCassette(
      'swallow',
      async () => {
        await post('{"a":2}').catch(() => undefined);
        return 'swallowed';
      },
      { dir, mode: 'none' },
    ).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
  });

  test('identical requests replay in recorded order (429, 429, 200)', async () => {
    let n = 0;
    const flaky = await startLocalServer((_req, res) => {
      n++;
      if (n <= 2) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '1' });
        res.end(JSON.stringify({ error: { message: `slow down ${n}` } }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, attempt: n }));
      }
    });
    const dir = dirOf();
    const attempt = async (): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${flaky.url}/v1/x`, { method: 'POST', body: '{"same":true}' });
        out.push(`${res.status} ${await res.text()}`);
      }
      return out;
    };
    const live = await withCassette('retries', attempt, { dir, mode: 'once' });
    await flaky.close();
    const replayed = await withCassette('retries', attempt, { dir, mode: 'none' });
    expect(replayed).toEqual(live);
    expect(live.map((l) => l.slice(0, 3))).toEqual(['429', '429', '200']);
  });

  test('ignoreBodyFields, normalizeOrigin and a custom match hook', async () => {
    const dir = dirOf();
    const other = await startLocalServer(echoHandler());
    await withCassette('opts', () => post('{"q":"x","request_id":"r1"}').then((r) => r.json()), {
      dir,
      mode: 'once',
      ignoreBodyFields: ['request_id'],
      normalizeOrigin: true,
    });
    const replayed = await withCassette('opts', () => post('{"q":"x","request_id":"r2"}', {}, '/v1/chat/completions', other.url).then((r) => r.json()), {
      dir,
      mode: 'none',
      ignoreBodyFields: ['request_id'],
      normalizeOrigin: true,
    });
    expect(replayed).toMatchObject({ echo: '{"q":"x","request_id":"r1"}' });
    expect(other.seen).toHaveLength(0);
    const vetoed = await withCassette('opts', () => post('{"q":"x","request_id":"r2"}').then((r) => r.status), {
      dir,
      mode: 'none',
      ignoreBodyFields: ['request_id'],
      match: () => false,
    }).catch((e: unknown) => e);
    expect(isCassetteError(vetoed) && vetoed.code).toBe('LLM_CASSETTE_NO_MATCH');
    await other.close();
  });

  test('a hand-edited request still matches: the key is recomputed on load', async () => {
    const dir = dirOf();
    await withCassette('edit', () => post('{"q":"before"}').then((r) => r.json()), { dir, mode: 'once' });
    const file = join(dir, 'edit.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('q: before', 'q: after'));
    const replayed = await withCassette('edit', () => post('{"q":"after"}').then((r) => r.json()), { dir, mode: 'none' });
    expect(replayed).toMatchObject({ echo: '{"q":"before"}' });
  });
});

describe('run-to-run variation the user names', () => {
  const turn = (traceId: string, callId: string): string =>
    JSON.stringify({ model: 'm', metadata: { trace: traceId }, steps: [{ call: { ref: callId, name: 'w' } }, { result: { ref: callId } }] });

  test('ignoreBodyFields with [*] wildcards lets a request with fresh per-item values replay', async () => {
    const dir = dirOf();
    const options = { dir, ignoreBodyFields: ['metadata.trace', 'steps[*].*.ref'] };
    await withCassette('wild', () => post(turn('t-1', 'c-1')).then((r) => r.text()), { ...options, mode: 'once' });
    const replayed = await withCassette('wild', () => post(turn('t-2', 'c-2')).then((r) => r.text()), { ...options, mode: 'none' });
    expect(JSON.parse(replayed)).toMatchObject({ echo: turn('t-1', 'c-1') });
  });

  test('a normalize hook rewrites live and recorded requests alike before keying', async () => {
    const dir = dirOf();
    const normalize = (request: { body: unknown }) => ({ ...request, body: { ...(request.body as object), metadata: 'any' } });
    await withCassette('normalised', () => post(turn('t-1', 'c-1')).then((r) => r.text()), { dir, mode: 'once', normalize: normalize as never });
    const error = await withCassette('normalised', () => post(turn('t-2', 'c-1')).then((r) => r.text()), { dir, mode: 'none' }).catch((e: unknown) => e);
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    const replayed = await withCassette('normalised', () => post(turn('t-2', 'c-1')).then((r) => r.text()), {
      dir,
      mode: 'none',
      normalize: normalize as never,
    });
    expect(JSON.parse(replayed)).toMatchObject({ echo: turn('t-1', 'c-1') });
  });

  test('client-made ids in id fields replay under new random values; normalizeClientIds: false keys them exactly', async () => {
    const dir = dirOf();
    const body = (id: string): string => JSON.stringify({ model: 'm', metadata: { request_id: id } });
    await withCassette('ids', () => post(body('1f0c7c2e')).then((r) => r.text()), { dir, mode: 'once' });
    await expect(withCassette('ids', () => post(body('9a77d1b3')).then((r) => r.text()), { dir, mode: 'none' })).resolves.toContain('1f0c7c2e');
    const error = await withCassette('ids', () => post(body('9a77d1b3')).then((r) => r.text()), { dir, mode: 'none', normalizeClientIds: false }).catch(
      (e: unknown) => e,
    );
    expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_NO_MATCH');
    expect((error as Error).message).toContain('metadata.request_id: "1f0c7c2e" → "9a77d1b3"');
  });
});
