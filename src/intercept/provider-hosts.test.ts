import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hostMatcher, PROVIDER_HOSTS } from './provider-hosts.js';

describe('hostMatcher', () => {
  const providers = hostMatcher(PROVIDER_HOSTS);

  test.each([
    ['api.openai.com', ''],
    ['API.OpenAI.com', '443'],
    ['api.anthropic.com', ''],
    ['generativelanguage.googleapis.com', ''],
    ['us-central1-aiplatform.googleapis.com', ''],
    ['aiplatform.googleapis.com', ''],
    ['my-resource.openai.azure.com', ''],
    ['bedrock-runtime.us-east-1.amazonaws.com', ''],
  ])('the default list holds %s', (hostname, port) => {
    expect(providers(hostname, port)).toBe(true);
  });

  test.each([
    ['127.0.0.1', '8080'],
    ['openai.com', ''],
    ['api.openai.com.evil.example', ''],
    ['evilapi.openai.com', ''],
    ['openai.azure.com', ''],
    ['storage.googleapis.com', ''],
    ['s3.us-east-1.amazonaws.com', ''],
  ])('the default list leaves %s alone', (hostname, port) => {
    expect(providers(hostname, port)).toBe(false);
  });

  test('any case, and the fully qualified form with a trailing dot, of every listed host matches (property)', () => {
    const listed = fc.constantFrom(...PROVIDER_HOSTS.filter((h) => !h.includes('*')));
    fc.assert(
      fc.property(listed, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.boolean(), (host, upper, dot) => {
        const spelled = [...host].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + (dot ? '.' : '');
        expect(providers(spelled, '')).toBe(true);
        expect(providers(spelled, '443')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('an entry with a port matches that port only; one without matches every port', () => {
    const match = hostMatcher(['127.0.0.1:8080', 'llm.internal']);
    expect(match('127.0.0.1', '8080')).toBe(true);
    expect(match('127.0.0.1', '8081')).toBe(false);
    expect(match('127.0.0.1', '')).toBe(false);
    expect(match('llm.internal', '9000')).toBe(true);
    expect(match('llm.internal', '')).toBe(true);
  });

  test('an empty list matches nothing', () => {
    expect(hostMatcher([])('api.openai.com', '')).toBe(false);
  });

  test('a wildcard never reaches across a port or past the end of the host (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(label, label, fc.integer({ min: 1, max: 65535 }), (a, b, port) => {
        const match = hostMatcher([`*.${b}.example`]);
        expect(match(`${a}.${b}.example`, String(port))).toBe(true);
        expect(match(`${a}.${b}.example.org`, '')).toBe(false);
        expect(match(`${b}.example`, '')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
