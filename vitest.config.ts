import { defineConfig } from 'vitest/config';

// Tests that start PostgreSQL servers are heavy; two workers match the 2-core CI machine.
export default defineConfig({
  test: {
    include: ['{packages,plugins,conformance,bench}/**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
