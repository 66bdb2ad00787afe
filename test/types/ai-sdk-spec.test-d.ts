// Type-level proof that the bridge fits the AI SDK's own types, both versions, both ways.
// Compiled by `npm run typecheck` (tsconfig.test.json), never run.

import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { LanguageModel } from 'ai';
import { createOpenAI as createOpenAIv3 } from 'ai-sdk-openai-v3';
import type { LanguageModelV3 } from 'ai-sdk-provider-v3';
import type { LanguageModel as LanguageModelForAi6 } from 'ai-v6';
import { fromLanguageModel, toLanguageModel } from '../../src/entries/ai-sdk.js';
import type { LLMProvider } from '../../src/entries/provider.js';
import { MockLLMProvider } from '../../src/entries/provider.js';

const mock = new MockLLMProvider();

export const v4: LanguageModelV4 = toLanguageModel(mock);
export const forAi7: LanguageModel = toLanguageModel(mock);
export const v3: LanguageModelV3 = toLanguageModel(mock, { specificationVersion: 'v3' });
export const forAi6: LanguageModelForAi6 = toLanguageModel(mock, { specificationVersion: 'v3' });
export const ai7TakesV3Too: LanguageModel = toLanguageModel(mock, { specificationVersion: 'v3' });

export const fromV4: LLMProvider = fromLanguageModel(createOpenAI({ apiKey: 'x' })('gpt-4o-mini'));
export const fromV3: LLMProvider = fromLanguageModel(createOpenAIv3({ apiKey: 'x' })('gpt-4o-mini'));
export const roundTrip: LLMProvider = fromLanguageModel(toLanguageModel(mock));
