// G. What a replayed 429 → 429 → 200 costs through withRetry: the provider asks for `retryAfterMs`
// twice, the third attempt answers. Recorded once from the wire mock (its waits skipped with a
// `sleep` option), then replayed `reps` times with the given timing; wall time of each whole call.
//
//   input: { role: 'record' | 'replay', dir, timing, retryAfterMs, reps }
import { performance } from 'node:perf_hooks';
import { main } from '../lib/stats.mjs';

const NAME = 'retry-429-429-200';
const HI = { messages: [{ role: 'user', content: 'Hi' }] };

main(async ({ role, dir, timing, retryAfterMs, reps }) => {
  const { withCassette } = await import('cassettes');
  const { openaiProvider, withRetry } = await import('cassettes/provider');
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-bench-not-a-key', maxRetries: 0 });
  const provider = (options = {}) => withRetry(openaiProvider(client, { model: 'gpt-4o-mini' }), options);
  if (role === 'record') {
    const { withMockLLM } = await import('cassettes/mock');
    const limited = { error: { kind: 'rate-limit', retryAfterMs } };
    const text = await withMockLLM([limited, limited, 'Finally.'], () =>
      withCassette(NAME, () => provider({ sleep: async () => undefined }).generate(HI), { dir, mode: 'all' }),
    );
    return { role, text };
  }
  const ms = [];
  let attempts = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await withCassette(NAME, () => provider({ onRetry: () => attempts++ }).generate(HI), { dir, mode: 'none', timing });
    ms.push(performance.now() - t0);
  }
  return { role, timing, ms, retriesPerCall: attempts / reps };
});
