import { defineConfig } from 'vitest/config';
import { cassettes } from 'cassettes/vitest';

export default defineConfig({
  plugins: [cassettes()],
  test: { include: ['test/**/*.test.ts'] },
});
