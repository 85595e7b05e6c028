import { defineConfig } from 'vitest/config';

// Transitional CI gate (see README): the test folders of the layers that are complete.
export default defineConfig({
  test: {
    include: ['test/unit/{sim,trace,wire,net,scenario}/**/*.test.ts', 'test/property/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
