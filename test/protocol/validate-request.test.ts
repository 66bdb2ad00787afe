import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isLLMError, LLMRequestError } from '../../src/protocol/errors.js';
import { validateRequest } from '../../src/protocol/validate-request.js';

function rejectionOf(request: unknown, provider?: string): LLMRequestError {
  try {
    validateRequest(request, provider === undefined ? {} : { provider });
  } catch (error) {
    if (error instanceof LLMRequestError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const hi = { messages: [{ role: 'user', content: 'Hi' }] };

describe('validateRequest', () => {
  test('the smallest request is valid; content may be parts', () => {
    expect(() => validateRequest(hi)).not.toThrow();
    expect(() =>
      validateRequest({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Hi' },
              { type: 'image', url: 'https://x/y.png' },
            ],
          },
        ],
      }),
    ).not.toThrow();
  });

  test.each([
    [{ ...hi, temperature: 5 }, undefined, 'temperature', /from 0 to 2/],
    [{ ...hi, temperature: 1.5 }, 'anthropic', 'temperature', /from 0 to 1 for anthropic/],
    [{ messages: [] }, undefined, 'messages', /non-empty array/],
    [{}, undefined, 'messages', /non-empty array/],
    [{ ...hi, maxTokens: 0 }, undefined, 'maxTokens', /greater than 0/],
    [{ ...hi, maxTokens: 1.5 }, undefined, 'maxTokens', /integer/],
    [{ ...hi, topP: -0.1 }, undefined, 'topP', /from 0 to 1/],
    [{ ...hi, stop: ['a', 'b', 'c', 'd', 'e'] }, 'openai', 'stop', /at most 4 sequences for openai/],
    [{ messages: [{ role: 'robot', content: 'x' }] }, undefined, 'messages[0].role', /'system', 'user'/],
    [{ messages: [{ role: 'user', content: 42 }] }, undefined, 'messages[0].content', /string or an array/],
    [{ messages: [{ role: 'user', content: [{ type: 'image' }] }] }, undefined, 'messages[0].content[0]', /url/],
    [
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', toolCallId: 'nope', content: 'r' },
        ],
      },
      undefined,
      'messages[1].toolCallId',
      /earlier assistant tool call/,
    ],
    [{ messages: [{ role: 'assistant' }] }, undefined, 'messages[0].content', /unless `toolCalls`/],
    [{ ...hi, tools: [{ name: 'bad name!' }] }, undefined, 'tools[0].name', /1–64 characters/],
    [{ ...hi, tools: [{ name: 'a' }, { name: 'a' }] }, undefined, 'tools[1].name', /unique/],
    [{ ...hi, tools: [{ name: 'a' }], toolChoice: { type: 'tool', name: 'b' } }, undefined, 'toolChoice.name', /one of `tools`/],
    [{ ...hi, toolChoice: 'required' }, undefined, 'toolChoice', /only together with `tools`/],
    [{ ...hi, toolChoice: 'sometimes' }, undefined, 'toolChoice', /'auto', 'none', 'required' or/],
    [{ ...hi, responseFormat: { type: 'xml' } }, undefined, 'responseFormat', /json/],
    [{ ...hi, model: '' }, undefined, 'model', /non-empty/],
    [{ ...hi, metadata: { a: 1 } }, undefined, 'metadata', /string values/],
  ])('%j (%s) → %s', (request, provider, field, message) => {
    const error = rejectionOf(request, provider);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.allowed).toBeTypeOf('string');
    expect(isLLMError(error, 'LLM_INVALID_REQUEST')).toBe(true);
    expect(error.provider).toBe(provider ?? 'unknown');
  });

  test('provider narrowing only where the provider is narrower', () => {
    expect(() => validateRequest({ ...hi, temperature: 1.5 }, { provider: 'openai' })).not.toThrow();
    expect(() => validateRequest({ ...hi, stop: ['a', 'b', 'c', 'd', 'e'] }, { provider: 'anthropic' })).not.toThrow();
  });
});

describe('validateRequest under arbitrary input (fast-check)', () => {
  const runs = 3000;

  test(`${runs} arbitrary JSON values: accepted, or refused with an LLMRequestError naming a field, never anything else`, () => {
    const requestish = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          messages: fc.oneof(
            fc.jsonValue(),
            fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'tool', 'system', 'x'), content: fc.jsonValue() })),
          ),
          temperature: fc.jsonValue(),
          maxTokens: fc.oneof(fc.integer(), fc.jsonValue()),
          stop: fc.jsonValue(),
          tools: fc.jsonValue(),
          providerOptions: fc.jsonValue(),
        },
        { requiredKeys: ['messages'] },
      ),
    );
    fc.assert(
      fc.property(requestish, (value) => {
        try {
          validateRequest(value);
        } catch (error) {
          expect(error).toBeInstanceOf(LLMRequestError);
          const e = error as LLMRequestError;
          expect(e.field).toBeTypeOf('string');
          expect(e.message.startsWith('cassettes: invalid request: `')).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  test(`${runs} well-formed requests are all accepted, by every provider's rules`, () => {
    const text = fc.string({ minLength: 1 }).filter((s) => s.trim() !== '');
    const valid = fc.record(
      {
        messages: fc
          .array(fc.record({ role: fc.constantFrom('user' as const, 'system' as const), content: text }), { minLength: 1, maxLength: 4 })
          .map((messages) => [...messages, { role: 'user' as const, content: 'last' }]),
        temperature: fc.double({ min: 0, max: 1, noNaN: true }),
        topP: fc.double({ min: 0, max: 1, noNaN: true }),
        maxTokens: fc.integer({ min: 1, max: 32_768 }),
        stop: fc.array(text, { minLength: 1, maxLength: 4 }),
        frequencyPenalty: fc.double({ min: -2, max: 2, noNaN: true }),
        seed: fc.integer(),
      },
      { requiredKeys: ['messages'] },
    );
    fc.assert(
      fc.property(valid, fc.constantFrom(undefined, 'openai', 'anthropic', 'gemini'), (request, provider) => {
        validateRequest(request, provider === undefined ? {} : { provider });
      }),
      { numRuns: runs },
    );
  });
});
