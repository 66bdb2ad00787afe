import { describe, expect, test } from 'vitest';
import type { Interaction } from '../types.js';
import { jsonDocumentsOf, rulesOf, secretsOfHeader, secretsOfInteraction, secretsOfRequest } from './learn.js';

describe('secretsOfHeader', () => {
  test('a credential is learned with and without its scheme; Basic is decoded too', () => {
    expect(secretsOfHeader('authorization', 'Bearer sk-abc-123456')).toEqual(['Bearer sk-abc-123456', 'sk-abc-123456']);
    const basic = Buffer.from('user:hunter2-password').toString('base64');
    expect(secretsOfHeader('authorization', `Basic ${basic}`)).toEqual([`Basic ${basic}`, basic, 'user:hunter2-password', 'hunter2-password']);
  });

  test("a request's cookies give every value; a set-cookie only its own, not its attributes", () => {
    expect(secretsOfHeader('cookie', 'a=session-one-123; b=session-two-456')).toEqual([
      'a=session-one-123; b=session-two-456',
      'session-one-123',
      'session-two-456',
    ]);
    expect(secretsOfHeader('set-cookie', 'sid=abcdef123456; Domain=.example.com; Path=/')).toEqual([
      'sid=abcdef123456; Domain=.example.com; Path=/',
      'abcdef123456',
    ]);
  });
});

describe('secretsOfRequest', () => {
  test('secret headers and query parameters, built-in and named by the user', () => {
    const rules = rulesOf({ headers: ['X-Tenant-Secret'], queryParams: ['tenant_token'] });
    const found = secretsOfRequest(
      'https://h/v1?key=AIza-query-key-1&tenant_token=tenant-query-2&q=plain',
      { 'x-api-key': 'sk-ant-header-3', 'x-tenant-secret': 'tenant-header-4', 'content-type': 'application/json' },
      rules,
    );
    expect(found).toEqual(['sk-ant-header-3', 'tenant-header-4', 'AIza-query-key-1', 'tenant-query-2']);
  });

  test('without the user rules only the built-in ones count', () => {
    expect(secretsOfRequest('https://h/v1?tenant_token=x12345678', { 'x-tenant-secret': 'tenant-header-4' })).toEqual([]);
  });
});

describe('secretsOfInteraction', () => {
  const interaction = (response: Interaction['response']): Interaction => ({
    recordedAt: '',
    request: { method: 'POST', url: 'https://h/v1', headers: {}, body: { json: { metadata: { user_token: 'tok-request-12345' }, n: 1 } } },
    response,
  });

  test('values at body paths: in the request, the response body and every event of a stream', () => {
    const rules = rulesOf({ bodyPaths: ['metadata.user_token', 'items.secret'] });
    const found = secretsOfInteraction(
      interaction({
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'text/event-stream', 'set-cookie': 'sid=cookie-value-9999; Path=/' },
        headersAtMs: 0,
        chunks: [
          { atMs: 1, text: 'data: {"metadata":{"user_tok' },
          { atMs: 2, text: 'en":"tok-stream-67890"}}\n\ndata: {"items":[{"secret":"tok-array-1"},{"secret":42424242}]}\n\n' },
        ],
      }),
      rules,
    );
    expect(found).toEqual(
      expect.arrayContaining(['tok-request-12345', 'tok-stream-67890', 'tok-array-1', '42424242', 'cookie-value-9999', 'sid=cookie-value-9999; Path=/']),
    );
  });

  test('no body paths: bodies are not parsed at all', () => {
    expect(secretsOfInteraction(interaction(undefined), rulesOf({}))).toEqual([]);
  });
});

describe('jsonDocumentsOf', () => {
  test('a whole document, SSE data (split over lines), NDJSON lines, a Gemini JSON array', () => {
    expect(jsonDocumentsOf('{"a":1}')).toEqual([{ a: 1 }, { a: 1 }]);
    expect(jsonDocumentsOf('event: x\ndata: {"a":\ndata: 2}\n\ndata: [DONE]\n\n')).toEqual([{ a: 2 }]);
    expect(jsonDocumentsOf('{"a":1}\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(jsonDocumentsOf('[{"a":1},\r\n{"b":2}]')).toEqual([[{ a: 1 }, { b: 2 }]]);
  });
});
