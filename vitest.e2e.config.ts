import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's /usr/bin/chromium through playwright-core against the built site (dist/).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
