import { describe, expect, test } from 'vitest';
import { canonicalRequest, identityOf, requestKey } from './request-key.js';

const base = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: {} };

describe('requestKey', () => {
  test('ignores JSON key order at every depth', () => {
    const a = requestKey({ ...base, body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 } });
    const b = requestKey({ ...base, body: { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'm' } });
    expect(a).toBe(b);
  });

  test('keeps array order: reordered messages are a different request', () => {
    const a = requestKey({ ...base, body: { messages: ['a', 'b'] } });
    const b = requestKey({ ...base, body: { messages: ['b', 'a'] } });
    expect(a).not.toBe(b);
  });

  test('every option that determines the answer changes the key', () => {
    const key = (body: unknown): string => requestKey({ ...base, body });
    const reference = key({ model: 'm', temperature: 0 });
    expect(key({ model: 'm', temperature: 0.1 })).not.toBe(reference);
    expect(key({ model: 'n', temperature: 0 })).not.toBe(reference);
    expect(key({ model: 'm', temperature: 0, top_p: 1 })).not.toBe(reference);
  });

  test('noisy and secret headers do not key a request; anthropic-beta and openai-beta do', () => {
    const key = (headers: Record<string, string>): string => requestKey({ ...base, headers, body: {} });
    const reference = key({});
    expect(key({ authorization: 'Bearer sk-one', 'user-agent': 'x/1', 'x-stainless-retry-count': '2' })).toBe(reference);
    expect(key({ 'anthropic-beta': 'tools-2024' })).not.toBe(reference);
    expect(key({ 'OpenAI-Beta': 'assistants=v2' })).not.toBe(reference);
  });

  test('secret query parameters are left out; the others are sorted', () => {
    const key = (url: string): string => requestKey({ ...base, url, body: undefined });
    expect(key('https://g.test/v1/x?key=AIza-one&alt=sse')).toBe(key('https://g.test/v1/x?alt=sse&key=AIza-two'));
    expect(key('https://g.test/v1/x?b=2&a=1')).toBe(key('https://g.test/v1/x?a=1&b=2'));
    expect(key('https://g.test/v1/x?a=1')).not.toBe(key('https://g.test/v1/x?a=2'));
  });

  test('normalizeOrigin: true ignores scheme, host and port', () => {
    const a = requestKey({ ...base, url: 'http://127.0.0.1:4001/v1/x', body: {} }, { normalizeOrigin: true });
    const b = requestKey({ ...base, url: 'https://api.example.com/v1/x', body: {} }, { normalizeOrigin: true });
    expect(a).toBe(b);
  });

  test('ignoreBodyFields drops a dotted path and leaves the input untouched', () => {
    const body = { metadata: { request_id: 'r-1', user: 'u' }, model: 'm' };
    const a = requestKey({ ...base, body }, { ignoreBodyFields: ['metadata.request_id'] });
    const b = requestKey({ ...base, body: { metadata: { request_id: 'r-2', user: 'u' }, model: 'm' } }, { ignoreBodyFields: ['metadata.request_id'] });
    expect(a).toBe(b);
    expect(body.metadata.request_id).toBe('r-1');
  });

  test('identityOf gives the same text for a sorted and an unsorted body (integer-like keys included)', () => {
    const sorted = canonicalRequest({ ...base, body: { a: 1, b: { c: 2, d: [1, { e: 3 }] } } });
    const unsorted = canonicalRequest({ ...base, body: { b: { d: [1, { e: 3 }], c: 2 }, a: 1 } });
    expect(identityOf(sorted)).toBe(identityOf(unsorted));
    const integers = canonicalRequest({ ...base, body: { 10: 'x', 9: 'y', a: 'z' } });
    const reordered = canonicalRequest({ ...base, body: { a: 'z', 9: 'y', 10: 'x' } });
    expect(identityOf(integers)).toBe(identityOf(reordered));
  });
});
