import { cassettes } from 'cassettes/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [cassettes()],
  test: { include: ['vitest/**/*.test.mjs'] },
});
