import { afterEach, describe, expect, test } from 'vitest';
import { configure, resetConfiguration } from '../config.js';
import { CassetteError } from '../errors.js';
import { rememberSecrets } from './known-secrets.js';
import { scrubMessage } from './message.js';
import { createRedactor } from './redact.js';
import { REDACTED } from './rules.js';

afterEach(() => {
  delete process.env['GEMINI_API_KEY'];
  resetConfiguration();
});

describe('scrubMessage', () => {
  test('a secret query parameter is scrubbed even when its value was never seen (a blocked request)', () => {
    expect(scrubMessage('cassettes: network blocked outside a cassette: POST https://g.example/v1:generate?key=AIzaNeverSeen42&alt=sse')).toBe(
      `cassettes: network blocked outside a cassette: POST https://g.example/v1:generate?key=${REDACTED}&alt=sse`,
    );
    expect(scrubMessage('GET http://h/x?api_key=abc&access_token=def')).toBe(`GET http://h/x?api_key=${REDACTED}&access_token=${REDACTED}`);
  });

  test('a secret header written out, as a line (to its end) or as JSON', () => {
    expect(scrubMessage('authorization: Bearer sk-never-seen-1\nx-other: fine')).toBe(`authorization: ${REDACTED}\nx-other: fine`);
    expect(scrubMessage('{"x-api-key":"sk-ant-never-seen","model":"m"}')).toBe(`{"x-api-key":"${REDACTED}","model":"m"}`);
  });

  test('the provider key variables of the environment, wherever they appear', () => {
    process.env['GEMINI_API_KEY'] = 'AIza-env-key-in-a-path';
    expect(scrubMessage('POST https://h/v1/keys/AIza-env-key-in-a-path/x')).toBe(`POST https://h/v1/keys/${REDACTED}/x`);
  });

  test("the user's rules from configure(), before any cassette ran", () => {
    configure({ redact: { queryParams: ['tenant_token'], headers: ['x-tenant'], values: ['configured-secret-1'], patterns: [/org-[a-z]+-\d+/] } });
    expect(scrubMessage('GET https://h/x?tenant_token=t-1 configured-secret-1 org-abc-123\n  x-tenant: t-2')).toBe(
      `GET https://h/x?tenant_token=${REDACTED} ${REDACTED} ${REDACTED}\n  x-tenant: ${REDACTED}`,
    );
  });

  test('what a cassette learned (a request credential) is scrubbed from later messages', () => {
    const redactor = createRedactor({}, ['sk-from-a-request-header']);
    redactor.knowing({
      recordedAt: '',
      request: { method: 'GET', url: 'https://h/x', headers: { 'x-api-key': 'sk-learned-by-rule-77' } },
    });
    expect(scrubMessage('sk-from-a-request-header and sk-learned-by-rule-77')).toBe(`${REDACTED} and ${REDACTED}`);
  });

  test('the store keeps a bounded number of values, the newest', () => {
    rememberSecrets(Array.from({ length: 10_050 }, (_, i) => `bulk-secret-${String(i).padStart(6, '0')}`));
    expect(scrubMessage('bulk-secret-010049')).toBe(REDACTED);
    expect(scrubMessage('bulk-secret-000000')).toBe('bulk-secret-000000');
  });
});

describe('CassetteError', () => {
  test('every message goes through the scrubber, its stack too', () => {
    const error = new CassetteError('LLM_CASSETTE_BYPASS', 'cassettes: GET https://h/x?key=AIzaInAMessage99 escaped');
    expect(error.message).toBe(`cassettes: GET https://h/x?key=${REDACTED} escaped`);
    expect(error.stack).not.toContain('AIzaInAMessage99');
  });
});
