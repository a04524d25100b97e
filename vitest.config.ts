import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Property tests run many cases; keep the default 5 s per test from flaking on 2 cores.
    testTimeout: 30_000,
  },
});
