import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isCassetteError } from '../errors.js';
import { buildMounts, keyHeader, upstreamUrl } from './mounts.js';

const segment = fc.stringMatching(/^[A-Za-z0-9._~:@%-]{1,12}$/);
const rest = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => parts.map((p) => `/${p}`).join(''));
const search = fc.oneof(fc.constant(''), fc.stringMatching(/^\?[A-Za-z0-9=&%._-]{0,20}$/));

describe('provider mounts', () => {
  test('the path after the mount and the query reach the upstream unchanged, after its own path prefix (property)', () => {
    fc.assert(
      fc.property(rest, search, fc.constantFrom('', '/gw', '/gw/', '/a/b'), (path, query, prefix) => {
        const mounts = buildMounts({ openai: `http://127.0.0.1:9000${prefix}`, other: `https://example.test${prefix}` });
        const base = prefix.replace(/\/+$/, '');
        expect(upstreamUrl(mounts.get('openai')!, path, query)).toBe(`http://127.0.0.1:9000${base}${path}${query}`);
        expect(upstreamUrl(mounts.get('other')!, path, query)).toBe(`https://example.test${base}${path}${query}`);
      }),
      { numRuns: 300 },
    );
  });

  test('anthropic paths without /v1 (the AI SDK builds /messages from the same base URL) get it; paths with it are left alone (property)', () => {
    const anthropic = buildMounts().get('anthropic')!;
    fc.assert(
      fc.property(rest, search, (path, query) => {
        const url = upstreamUrl(anthropic, path, query);
        const expected = /^\/v1(\/|$)/.test(path) ? path : `/v1${path}`;
        expect(url).toBe(`https://api.anthropic.com${expected}${query}`);
      }),
      { numRuns: 300 },
    );
    expect(upstreamUrl(anthropic, '/messages', '')).toBe('https://api.anthropic.com/v1/messages');
    expect(upstreamUrl(anthropic, '/v1/messages', '?beta=true')).toBe('https://api.anthropic.com/v1/messages?beta=true');
  });

  test('the default mounts are the real hosts; a key goes in the header each SDK uses', () => {
    const mounts = buildMounts();
    expect([...mounts.values()].map((m) => m.upstream.origin)).toEqual([
      'https://api.openai.com',
      'https://api.anthropic.com',
      'https://generativelanguage.googleapis.com',
    ]);
    expect(keyHeader(mounts.get('openai')!, 'k')).toEqual(['authorization', 'Bearer k']);
    expect(keyHeader(mounts.get('anthropic')!, 'k')).toEqual(['x-api-key', 'k']);
    expect(keyHeader(mounts.get('gemini')!, 'k')).toEqual(['x-goog-api-key', 'k']);
  });

  test('a mount name the server keeps for itself, an odd name, or an upstream that is not an http URL is refused with a fix', () => {
    for (const bad of [{ s: 'http://x' }, { __cassettes: 'http://x' }, { 'a/b': 'http://x' }, { ok: 'not a url' }, { ok: 'ftp://x' }]) {
      let error: unknown;
      try {
        buildMounts(bad);
      } catch (e) {
        error = e;
      }
      expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_OPTIONS');
    }
  });
});
