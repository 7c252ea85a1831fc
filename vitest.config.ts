import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Route tests each start a server with SQLite and S3 on loopback; two cores run two files at a time well.
    pool: 'forks',
    maxWorkers: 2,
  },
});
