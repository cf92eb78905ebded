import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The workspace packages run from their TypeScript sources here, not from the dist/ they publish
  // (packages/emulators/README.md, "Sources and the published build"); the rest are Vite's defaults.
  ssr: { resolve: { conditions: ['referral-connector-source', 'module', 'node', 'development|production'] } },
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
      'demo/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
