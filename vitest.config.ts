import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit, property, golden (test/golden: scenario traces), parity (test/parity: kernel oracle) and architecture
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'threads',
    // fast-check draws from a fixed seed (FC_SEED overrides): the same verdict on every run.
    setupFiles: ['test/setup/fastCheckSeed.ts'],
  },
});
