import { defineConfig } from 'vitest/config';
import { llmCassette } from 'llm-cassette/vitest';

export default defineConfig({
  plugins: [llmCassette()],
  test: { include: ['test/**/*.test.ts'] },
});
