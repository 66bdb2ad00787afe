import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { storedBodyBytes } from '../match/body.js';
import { chunkBytes, storedChunk } from '../stream/stored-chunk.js';
import type { Interaction, StoredChunk } from '../types.js';
import { createRedactor } from './redact.js';
import { REDACTED } from './rules.js';

const KEY = 'sk-proj-Abc123Def456Ghi789';

afterEach(() => {
  delete process.env['OPENAI_API_KEY'];
});

function exchange(partial: { request?: Partial<Interaction['request']>; response?: Partial<NonNullable<Interaction['response']>> }): Interaction {
  return {
    recordedAt: '2026-01-01T00:00:00.000Z',
    request: { method: 'POST', url: 'https://api.example.com/v1/x', headers: {}, ...partial.request },
    response: { status: 200, statusText: 'OK', headers: {}, headersAtMs: 1, ...partial.response },
  };
}

/** Every stored byte and string of an interaction, as one text to search. */
function everything(interaction: Interaction): string {
  const chunks = interaction.response?.chunks?.map((c) => chunkBytes(c).toString('latin1')).join('') ?? '';
  return [
    JSON.stringify(interaction),
    storedBodyBytes(interaction.request.body).toString('latin1'),
    storedBodyBytes(interaction.response?.body).toString('latin1'),
    chunks,
  ].join('\n');
}

function pieces(value: string): string[] {
  return Array.from({ length: value.length - 7 }, (_, i) => value.slice(i, i + 8));
}

function expectNoPiece(text: string, ...keys: string[]): void {
  for (const key of keys) for (const piece of pieces(key)) expect(text, `piece ${piece}`).not.toContain(piece);
}

describe('createRedactor().interaction', () => {
  test('a multipart upload stored as base64: the key in its text field is scrubbed, the body stays bytes', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const body = Buffer.concat([
      Buffer.from(
        `--b0undary\r\ncontent-disposition: form-data; name="api_key"\r\n\r\n${KEY}\r\n--b0undary\r\ncontent-disposition: form-data; name="f"\r\n\r\n`,
      ),
      Buffer.from([0xff, 0x00, 0xfe]),
      Buffer.from('\r\n--b0undary--\r\n'),
    ]);
    const out = createRedactor().interaction(exchange({ request: { body: { base64: body.toString('base64') } } }));
    expect(out.request.body).toHaveProperty('base64');
    expect(storedBodyBytes(out.request.body).toString('latin1')).toContain(`name="api_key"\r\n\r\n${REDACTED}\r\n`);
    expectNoPiece(everything(out), KEY);
  });

  test('an SSE chunk stored as base64 (it ends inside a UTF-8 character) is scrubbed too', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const bytes = Buffer.from(`data: {"echo":"${KEY} é"}\n\n`);
    const cutAt = bytes.indexOf(0xc3) + 1;
    const chunks: StoredChunk[] = [storedChunk(1, bytes.subarray(0, cutAt), true), storedChunk(2, bytes.subarray(cutAt), true)];
    expect(chunks[0]).toHaveProperty('base64');
    const out = createRedactor().interaction(exchange({ response: { headers: { 'content-type': 'text/event-stream' }, chunks } }));
    const joined = Buffer.concat(out.response!.chunks!.map((c) => chunkBytes(c))).toString();
    expect(joined).toBe(`data: {"echo":"${REDACTED} é"}\n\n`);
    expect(out.response!.chunks!.map((c) => c.atMs)).toEqual([1, 2]);
  });

  test('a key split across two chunks is scrubbed whole; the marker is split where the key was', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const text = `data: {"echo":"${KEY}"}\n\n`;
    const at = text.indexOf(KEY) + 5;
    const out = createRedactor().interaction(
      exchange({
        response: {
          headers: { 'content-type': 'text/event-stream' },
          chunks: [
            { atMs: 3, text: text.slice(0, at) },
            { atMs: 9, text: text.slice(at) },
          ],
        },
      }),
    );
    const [a, b] = out.response!.chunks!;
    // 5 of the key's 25 characters before the cut: 2 of the marker's 10
    expect(a).toEqual({ atMs: 3, text: 'data: {"echo":"[R' });
    expect(b).toEqual({ atMs: 9, text: 'EDACTED]"}\n\n' });
  });

  test('a key cut into one-byte chunks (each shorter than the key) is still found', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const bytes = Buffer.from(`data: {"echo":"${KEY}"}\n\n`);
    const chunks = [...bytes].map((byte, i) => storedChunk(i, Buffer.from([byte]), true));
    const out = createRedactor().interaction(exchange({ response: { headers: { 'content-type': 'text/event-stream' }, chunks } }));
    expect(out.response!.chunks).toHaveLength(chunks.length);
    expect(Buffer.concat(out.response!.chunks!.map((c) => chunkBytes(c))).toString()).toBe(`data: {"echo":"${REDACTED}"}\n\n`);
  });

  test('a chunk of whole events stays a readable event view after scrubbing', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const chunk = storedChunk(1, Buffer.from(`data: {"echo":"${KEY}"}\n\n`), true);
    const out = createRedactor().interaction(exchange({ response: { headers: { 'content-type': 'text/event-stream' }, chunks: [chunk] } }));
    expect(out.response!.chunks![0]).toEqual({ atMs: 1, events: [{ data: { echo: REDACTED } }] });
  });

  test('secrets as JSON object keys, and written with escapes, are scrubbed', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const escaped = `{"note":"${KEY.replace('s', '\\u0073')}","${KEY.replace('p', '\\u0070')}":1}`;
    const out = createRedactor().interaction(
      exchange({ request: { body: { json: { [KEY]: true, nested: { [`x-${KEY}`]: 1 } } } }, response: { body: { text: escaped } } }),
    );
    expect(out.request.body).toEqual({ json: { [REDACTED]: true, nested: { [`x-${REDACTED}`]: 1 } } });
    // JSON kept as text (its escapes do not re-serialise): stored as its parsed form once scrubbed
    expect(out.response!.body).toEqual({ json: { note: REDACTED, [REDACTED]: 1 } });
    expectNoPiece(everything(out), KEY);
  });

  test('two secret keys that collide after scrubbing keep every byte: the body is stored as text', () => {
    const out = createRedactor({ values: ['secret-one-111', 'secret-two-222'] }).interaction(
      exchange({ request: { body: { json: { 'secret-one-111': 1, 'secret-two-222': 2 } } } }),
    );
    expect(out.request.body).toEqual({ text: `{"${REDACTED}":1,"${REDACTED}":2}` });
  });

  test('a value removed by a user rule is scrubbed where the server echoes it: headers, body, stream', () => {
    const tenant = 'tenant-secret-value-42';
    const query = 'query-secret-value-43';
    const path = 'body-path-secret-44';
    const redactor = createRedactor({ headers: ['x-tenant'], queryParams: ['tenant_token'], bodyPaths: ['meta.token'] });
    const out = redactor.interaction(
      exchange({
        request: {
          url: `https://api.example.com/v1/x?tenant_token=${query}&q=1`,
          headers: { 'x-tenant': tenant },
          body: { json: { meta: { token: path, short: 'ok' } } },
        },
        response: {
          headers: { 'x-echo-tenant': tenant, 'content-type': 'text/event-stream' },
          chunks: [
            { atMs: 1, text: `data: {"h":"${tenant.slice(0, 5)}` },
            { atMs: 2, text: `${tenant.slice(5)}","q":"${query}","b":"${path}"}\n\n` },
          ],
        },
      }),
    );
    expect(out.request.headers['x-tenant']).toBe(REDACTED);
    expect(out.request.url).toBe('https://api.example.com/v1/x?tenant_token=%5BREDACTED%5D&q=1');
    expect(out.request.body).toEqual({ json: { meta: { token: REDACTED, short: 'ok' } } });
    expect(out.response!.headers['x-echo-tenant']).toBe(REDACTED);
    expectNoPiece(everything(out), tenant, query, path);
  });

  test('a short value at a body path is redacted in place, not scrubbed elsewhere (it would eat words)', () => {
    const out = createRedactor({ bodyPaths: ['user'] }).interaction(exchange({ request: { body: { json: { user: 'bob', note: 'bob' } } } }));
    expect(out.request.body).toEqual({ json: { user: REDACTED, note: 'bob' } });
  });

  test('recorded errors: a URL with ?key= in a message, and known values', () => {
    const out = createRedactor({}, [KEY]).interaction({
      recordedAt: '',
      request: { method: 'GET', url: 'https://h/x', headers: {} },
      error: { name: 'Error', message: `connect failed for https://h/x?key=AIzaNeverSeen123&alt=sse (${KEY})`, atMs: 1 },
    });
    expect(out.error!.message).toBe(`connect failed for https://h/x?key=${REDACTED}&alt=sse (${REDACTED})`);
  });

  test('scrubbing twice changes nothing more', () => {
    process.env['OPENAI_API_KEY'] = KEY;
    const redactor = createRedactor({ bodyPaths: ['a'] });
    const once = redactor.interaction(
      exchange({
        request: { body: { json: { a: 'x', b: KEY } } },
        response: {
          chunks: [
            { atMs: 1, text: KEY.slice(0, 4) },
            { atMs: 2, text: KEY.slice(4) },
          ],
        },
      }),
    );
    expect(redactor.interaction(once)).toEqual(once);
  });

  test('property: keys echoed anywhere in a stream cut anywhere leave no 8-character piece, and chunks keep their times', () => {
    const keys = ['sk-AAAAbbbbCCCCdddd1111', 'AIzaEEEEffffGGGGhhhh22', 'tenant-IIIIjjjjKKKK33'];
    const filler = fc.string({ unit: fc.constantFrom('.', ' ', 'é', '😀', '\n', ':'), maxLength: 10 });
    const event = fc.tuple(filler, fc.constantFrom(...keys)).map(([f, k]) => `data: {"f":"${f.replace(/\n/g, ' ')}","k":"${k}"}\n\n`);
    let tried = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(600), { maxLength: 12 }), (events, cuts) => {
        tried++;
        const bytes = Buffer.from(events.join(''));
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks: StoredChunk[] = [];
        let at = 0;
        for (const [i, point] of [...points, bytes.length].entries()) {
          chunks.push(storedChunk(i, bytes.subarray(at, point), true));
          at = point;
        }
        const redactor = createRedactor({ headers: ['x-tenant'] }, [keys[0]!]);
        const out = redactor.interaction(
          exchange({
            request: { url: `https://h/v1?key=${keys[1]}`, headers: { 'x-tenant': keys[2]! } },
            response: { headers: { 'content-type': 'text/event-stream' }, chunks },
          }),
        );
        expectNoPiece(everything(out), ...keys);
        expect(out.response!.chunks!.map((c) => c.atMs)).toEqual(chunks.map((c) => c.atMs));
      }),
      { numRuns: 300 },
    );
    expect(tried).toBe(300);
  });
});

describe('createRedactor().mayChange', () => {
  test('true when a known value is in the text, or a rule could change any body', () => {
    expect(createRedactor({}, [KEY]).mayChange(`{"a":"${KEY}"}`)).toBe(true);
    expect(createRedactor({}, [KEY]).mayChange('{"a":"b"}')).toBe(false);
    expect(createRedactor({ headers: ['x-tenant'] }).mayChange('{"a":"b"}')).toBe(true);
    expect(createRedactor({ bodyPaths: ['a'] }).mayChange('{}')).toBe(true);
  });
});
