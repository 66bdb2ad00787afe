// Entry point of `cassettes/ai-sdk`: the bridge between LLMProvider and the AI SDK's language
// model specification (v4 for `ai` 7, v3 for `ai` 6). No AI SDK package is imported.
export type { FromLanguageModelOptions } from '../ai-sdk/from-language-model.js';
export { fromLanguageModel } from '../ai-sdk/from-language-model.js';
export type { AnyLanguageModel, SpecificationVersion, SpecLanguageModel } from '../ai-sdk/spec.js';
export type { ToLanguageModelOptions } from '../ai-sdk/to-language-model.js';
export { toLanguageModel } from '../ai-sdk/to-language-model.js';
