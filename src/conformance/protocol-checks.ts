import { isLLMError } from '../protocol/errors.js';
import type { LLMProvider, LLMProviderCore } from '../protocol/provider.js';
import type { LLMResponse, LLMUsage } from '../protocol/response.js';
import type { StandardSchemaV1 } from '../protocol/structured-schema.js';
import { assertResponse, collectStream } from './assert-response.js';
import type { CheckSuite } from './check-support.js';
import { ConformanceSkip, rejection } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { ANSWER_REQUEST, ANSWER_SCHEMA, HELLO, INVALID_REQUESTS } from './requests.js';

/** The provider with the protocol's methods, or a skip that says how to get them. */
function withMethods(provider: LLMProviderCore): LLMProvider {
  const members = ['generate', 'generateStructured', 'isAvailable', 'resetTokenUsage'] as const;
  const missing = members.find((member) => typeof (provider as Partial<LLMProvider>)[member] !== 'function');
  if (missing || !('tokenUsage' in provider)) {
    throw new ConformanceSkip(`the provider has no ${missing ?? 'tokenUsage'}(): give it the protocol with withProtocol(provider)`);
  }
  return provider as LLMProvider;
}

/** A Standard Schema for `{ answer: string }` whose JSON Schema is exactly the JSON check's. */
function answerSchema(refuseEverything: boolean): StandardSchemaV1<unknown, { answer: string }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'cassettes-conformance',
      validate: (value: unknown) => {
        if (refuseEverything) return { issues: [{ message: 'this schema refuses every value (conformance)', path: [] }] };
        const answer = typeof value === 'object' && value !== null ? (value as { answer?: unknown }).answer : undefined;
        return typeof answer === 'string' ? { value: { answer } } : { issues: [{ message: '`answer` must be a string', path: ['answer'] }] };
      },
      jsonSchema: { output: () => structuredClone(ANSWER_SCHEMA) as Record<string, unknown> },
    },
  };
}

function sum(responses: readonly LLMResponse[], key: keyof LLMUsage): number {
  return responses.reduce((total, response) => total + (response.usage[key] ?? 0), 0);
}

/** Section 1 of the protocol: generate, generateStructured, usage totals, availability. */
export function addProtocolChecks(suite: CheckSuite): void {
  const { add, fresh, capabilities } = suite;

  add('generate() returns the text of complete()', async () => {
    const { provider: core } = await fresh();
    const provider = withMethods(core);
    const first = await provider.complete(HELLO);
    const second = await provider.complete(HELLO);
    const text = await provider.generate(HELLO);
    check(typeof text === 'string' && text.length > 0, `generate(): expected the non-empty text of a completion, got ${describeValue(text)}`);
    // @note a live model may say something else each time: equality is required where the provider is deterministic
    if (first.content === second.content) {
      check(text === first.content, `generate() returned ${describeValue(text)}, complete() of the same request ${describeValue(first.content)}`);
    }
  });

  add(
    'generateStructured() returns a value that validates, and refuses one that does not',
    async () => {
      const { provider: core } = await fresh();
      const provider = withMethods(core);
      const value = await provider.generateStructured(ANSWER_REQUEST, answerSchema(false), { name: 'answer' });
      check(
        typeof value === 'object' && value !== null && typeof value.answer === 'string',
        `generateStructured(): expected { answer: string }, got ${describeValue(value)}`,
      );
      const error = await rejection(
        provider.generateStructured(ANSWER_REQUEST, answerSchema(true), { name: 'answer' }),
        'generateStructured() with a schema that refuses every value',
      );
      check(
        isLLMError(error, 'LLM_MALFORMED_RESPONSE'),
        `generateStructured(): an answer that does not validate must reject with LLMResponseError, got ${describeValue(error)}`,
      );
      check(typeof error.text === 'string', 'generateStructured(): the LLMResponseError must carry the raw `text` of the answer');
      check(Array.isArray(error.issues) && error.issues.length > 0, "generateStructured(): the LLMResponseError must carry the schema's `issues`");
    },
    capabilities.json ? undefined : 'capabilities.json is not declared',
  );

  add("usage totals: tokenUsage adds up every successful complete() and stream(); rateLimit is the last response's", async () => {
    const { provider: core } = await fresh();
    const provider = withMethods(core);
    const zero = provider.tokenUsage;
    check(zero.calls === 0 && zero.totalTokens === 0, `tokenUsage of a new provider must be zero, got ${describeValue(zero)}`);
    check(provider.rateLimit === undefined, `rateLimit must be undefined before any call, got ${describeValue(provider.rateLimit)}`);
    const completed = await provider.complete(HELLO);
    assertResponse(completed, 'complete()');
    const { response: streamed } = await collectStream(provider.stream(HELLO), 'stream()');
    await rejection(provider.complete(INVALID_REQUESTS[0]?.request as never));
    const totals = provider.tokenUsage;
    const both = [completed, streamed];
    const expected = {
      calls: 2,
      inputTokens: sum(both, 'inputTokens'),
      outputTokens: sum(both, 'outputTokens'),
      totalTokens: sum(both, 'totalTokens'),
      cachedInputTokens: sum(both, 'cachedInputTokens'),
      reasoningTokens: sum(both, 'reasoningTokens'),
    };
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      check(
        totals[key] === expected[key],
        `tokenUsage.${key} must be ${expected[key]} after one complete() and one stream(), got ${describeValue(totals[key])}`,
      );
    }
    check(
      JSON.stringify(provider.rateLimit) === JSON.stringify(streamed.rateLimit),
      `rateLimit must be the last response's (${describeValue(streamed.rateLimit)}), got ${describeValue(provider.rateLimit)}`,
    );
    provider.resetTokenUsage();
    check(provider.tokenUsage.calls === 0 && provider.tokenUsage.totalTokens === 0, 'resetTokenUsage() must start the totals over');
  });

  add('isAvailable() resolves to true for a working provider', async () => {
    const { provider: core } = await fresh();
    const provider = withMethods(core);
    const available = await provider.isAvailable();
    check(available === true, `isAvailable(): expected true for a working provider, got ${describeValue(available)}`);
  });
}
