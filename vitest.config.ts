import { defineConfig } from 'vitest/config'

// Tests run against the TypeScript sources through the "@kafkit/source" export
// condition, so `pnpm test` needs no build step.
export default defineConfig({
  resolve: { conditions: ['@kafkit/source'] },
  ssr: { resolve: { conditions: ['@kafkit/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
})
