import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit, property, golden (test/golden: scenario traces), parity (test/parity: kernel oracle) and architecture
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
