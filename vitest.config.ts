import { defineConfig } from 'vitest/config'

// Tests run against the TypeScript sources through the "@kafkit/source" export
// condition, so `pnpm test` needs no build step.
const sourceConditions = {
  resolve: { conditions: ['@kafkit/source'] },
  ssr: { resolve: { conditions: ['@kafkit/source'] } },
}

export default defineConfig({
  ...sourceConditions,
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // CI logs show every test, so a reader sees which listener or mechanism ran.
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      {
        ...sourceConditions,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'test/cross-check/**/*.test.ts', 'test/reference/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        // The suite every broker target runs: KAFKA_BROKERS or KAFKIT_TARGET choose the target.
        ...sourceConditions,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Third-party clients (kafkajs, kcat, the Java client) against the embedded broker.
        ...sourceConditions,
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Kills and restarts nodes of a three-node cluster.
        ...sourceConditions,
        test: {
          name: 'failover',
          include: ['test/failover/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
