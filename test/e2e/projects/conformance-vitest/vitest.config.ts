import { defineConfig } from 'vitest/config';

// deliberately without `globals: true`: cassettes/conformance finds Vitest by itself
export default defineConfig({
  test: { include: ['test/**/*.test.ts'] },
});
