import type { LLMUsageTotals } from './provider.js';
import type { LLMUsage } from './response.js';

export const ZERO_USAGE: LLMUsageTotals = Object.freeze({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
});

/** `totals` with one more successful call's usage added; a new frozen object. */
export function addUsage(totals: LLMUsageTotals, usage: LLMUsage): LLMUsageTotals {
  return Object.freeze({
    calls: totals.calls + 1,
    inputTokens: totals.inputTokens + usage.inputTokens,
    outputTokens: totals.outputTokens + usage.outputTokens,
    totalTokens: totals.totalTokens + usage.totalTokens,
    cachedInputTokens: totals.cachedInputTokens + (usage.cachedInputTokens ?? 0),
    reasoningTokens: totals.reasoningTokens + (usage.reasoningTokens ?? 0),
  });
}
