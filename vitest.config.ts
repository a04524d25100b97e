import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests run many cases; keep the default 5 s per test from flaking on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/e2e/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One local stack (DynamoDB Local + s3rver + the ingest behind a local queue) per run.
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
      // The CDK app, synthesized (with real bundling) and asserted; no AWS account needed.
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'] } },
    ],
  },
});
