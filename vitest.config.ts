import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary', 'json-summary'],
      // @note a floor, not a target: it catches code that lost its tests. Subprocess e2e runs (the
      // packed package under real Vitest and Jest) are not counted, so the runner integrations
      // read low here although they are tested end to end.
      thresholds: {
        lines: 85,
        // @note the provider contract and the layers on it are pure enough to be tested whole,
        // in-process: every line, enforced
        'src/protocol/**': { lines: 100 },
        'src/resilience/**': { lines: 100 },
        'src/ai-sdk/**': { lines: 100 },
      },
    },
  },
});
