import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { findSecrets, maskSecrets, secretsOfEnvironment } from './secret-shapes.js';

// Made-up credentials in each provider's shape (none of them was ever issued).
const OPENAI = 'sk-proj-Zx81kq0LmN3vB7tYp2Rw9sDf4GhJ6KlQ';
const OPENAI_LEGACY = 'sk-4f9Kd83LmQpZ0vBn7XcRt2Yw5Ue1Io6Pa8Sd3Fg';
const ANTHROPIC = 'sk-ant-api03-Qw8eRt5yUi2oPa7sDf4gHj1kLz9xCv3bNm6';
const GOOGLE = 'AIzaSyD3f8Kq0Lm9Np2Rs7Tv4Wx1Yz6Ab5Cd8Ef';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('findSecrets', () => {
  test.each([
    ['an OpenAI project key', `authorization: ${OPENAI}`, 'an OpenAI API key (sk-…)', OPENAI],
    ['a legacy OpenAI key', `"key": "${OPENAI_LEGACY}"`, 'an OpenAI API key (sk-…)', OPENAI_LEGACY],
    ['an Anthropic key, named as Anthropic rather than OpenAI', `x-api-key: ${ANTHROPIC}`, 'an Anthropic API key (sk-ant-…)', ANTHROPIC],
    ['a Google key in a query string', `url: https://g.test/v1beta/models/m:generateContent?key=${GOOGLE}`, 'a Google API key (AIza…)', GOOGLE],
    ['a JWT', `token: ${JWT}`, 'a JSON Web Token (eyJ….eyJ….…)', JWT],
    ['a bearer token of no known shape', 'authorization: Bearer 9f8e7d6c5b4a39281716abcdef', 'a bearer token (Bearer …)', 'Bearer 9f8e7d6c5b4a39281716abcdef'],
  ])('finds %s and names it without repeating it', (_name, text, kind, secret) => {
    const hits = findSecrets(text);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.kind).toBe(kind);
    expect(hits[0]!.kind).not.toContain(secret.slice(6));
    expect(text.slice(hits[0]!.start, hits[0]!.end)).toBe(secret);
  });

  test('a bearer token that is a provider key is reported once, as the provider key', () => {
    const hits = findSecrets(`authorization: Bearer ${OPENAI}`);
    expect(hits.map((h) => h.kind)).toEqual(['an OpenAI API key (sk-…)']);
  });

  test('the value of a key variable is named after its variable, whatever its shape', () => {
    const env = { OPENAI_API_KEY: 'local-proxy-token-0001', GEMINI_API_KEY: 'short' };
    const known = secretsOfEnvironment(env);
    expect(known).toEqual([{ value: 'local-proxy-token-0001', kind: 'the value of $OPENAI_API_KEY' }]);
    const hits = findSecrets('a: local-proxy-token-0001 and again local-proxy-token-0001', known);
    expect(hits.map((h) => [h.kind, h.start])).toEqual([
      ['the value of $OPENAI_API_KEY', 3],
      ['the value of $OPENAI_API_KEY', 36],
    ]);
  });

  test.each([
    ['the scrubber marker', 'authorization: "[REDACTED]"'],
    ['a bearer marker', 'authorization: Bearer [REDACTED]'],
    ['words that contain sk-', 'task-management-for-everyone-and-more: risk-assessment-framework-document'],
    ['a short sk- word', 'sk-learn and sk-1234'],
    ['ids providers send', 'id: chatcmpl-RZDNhaEBL0s9xw4fQZC0gaCwK0quw toolu_01SucQvz4keKlImLk2Tuefwz msg_01RsUaZ3zipoYCuKN0SsWpa3'],
    ['the word bearer in prose', 'The bearer of this message is welcome.'],
  ])('leaves %s alone', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  test("the project's own cassettes hold no secret shape (no false positive on real provider traffic)", () => {
    const files = yamlFiles('__cassettes__');
    expect(files.length).toBeGreaterThan(5);
    const hits = files.flatMap((file) => findSecrets(readFileSync(file, 'utf8')).map((hit) => `${file}: ${hit.kind}`));
    expect(hits).toEqual([]);
  });

  test('property: a key put anywhere in any text is found and fully masked (bounded run)', () => {
    const keys = fc.constantFrom(OPENAI, OPENAI_LEGACY, ANTHROPIC, GOOGLE, JWT);
    const separator = fc.constantFrom(' ', '"', "'", '\n', '=', ':', '(', ',');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), separator, keys, separator, fc.string({ maxLength: 60 }), (before, open, key, close, after) => {
        const text = `${before}${open}${key}${close}${after}`;
        const masked = maskSecrets(text);
        expect(masked).not.toContain(key.slice(0, 12) + key.slice(12, 20));
        expect(findSecrets(masked)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}
