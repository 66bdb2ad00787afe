// ajv is an optional peer: without it, a plain JSON Schema cannot be checked, and
// generateStructured says so — before any request is sent — and names the fix. (The packed
// package in a project without ajv shows the same in test/e2e/ai-sdk.e2e.test.ts.)
import { expect, test, vi } from 'vitest';
import { isLLMError, MockLLMProvider } from '../../src/entries/provider.js';

vi.mock('ajv', () => {
  throw new Error("Cannot find package 'ajv' imported from cassettes");
});

test('generateStructured with a plain JSON Schema and no ajv installed: LLMRequestError with the fix, and no call made', async () => {
  const mock = MockLLMProvider.fixed('{"a":1}');
  const error = await mock.generateStructured('x', { type: 'object' }).catch((e: unknown) => e);
  expect(isLLMError(error, 'LLM_INVALID_REQUEST')).toBe(true);
  expect(error).toMatchObject({ field: 'schema' });
  expect((error as Error).message).toMatch(/npm install --save-dev ajv, or pass a Standard Schema/);
  expect(mock.callCount).toBe(0);
});
