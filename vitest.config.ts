import { defineConfig } from 'vitest/config';

/** Tests that start a PostgreSQL cluster or a Ceph gateway of their own, or several instances on both. */
const SCALE_OUT_ONLY = ['test/scale-out/**/*.test.ts', 'test/storage/rgw.test.ts', 'test/faults/postgres-outage.test.ts'];
/** Files that replace a module of the service (vi.mock): each runs in a fresh module registry of its own. */
const MOCKS_MODULES = ['test/unit/photos/pipeline-verification.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Route tests each start a server on loopback; two cores run two files at a time well.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          // Everything, on the embedded defaults: SQLite and the embedded S3 endpoint under DATA_DIR.
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: [...SCALE_OUT_ONLY, ...MOCKS_MODULES],
          // Files share each worker's loaded modules (the service's whole graph takes seconds to load): every
          // file builds its own app, database and store, so nothing else carries over.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'sqlite-mocks', include: MOCKS_MODULES },
      },
      {
        extends: true,
        test: {
          // The route and fault tiers again on a real PostgreSQL and a real S3 cluster (Ceph RADOS Gateway),
          // started once for the run by the global setups; each test app gets its own database and bucket.
          name: 'postgres-rgw',
          include: ['test/routes/**/*.test.ts', 'test/faults/**/*.test.ts', ...SCALE_OUT_ONLY],
          exclude: [
            // About DATA_DIR, the embedded store and SQLite themselves.
            'test/faults/data-dir.test.ts',
            'test/faults/embedded-store.test.ts',
            'test/faults/process.test.ts',
            'test/faults/sqlite-disk-full.test.ts',
            // About HTTP alone (connections, load shedding, multipart parsing, files refused from their bytes
            // before anything is stored, the OpenAPI document, the web's files): the database and the store play no part.
            'test/faults/connections.test.ts',
            'test/faults/overload.test.ts',
            'test/routes/multipart.test.ts',
            'test/routes/hostile-photos.test.ts',
            'test/routes/openapi.test.ts',
            'test/routes/web-assets.test.ts',
            // Input refused before the database is asked, a PDF drawn from what any database returns, and
            // email through SMTP: the SQLite run covers them; outbox crash safety on PostgreSQL is the
            // scale-out test's (two instances, each event once).
            'test/routes/api-boundary.test.ts',
            'test/routes/report.test.ts',
            'test/routes/email-notifications.test.ts',
            'test/faults/outbox-crash.test.ts',
            ...MOCKS_MODULES,
          ],
          globalSetup: ['test/helpers/postgres-global.ts', 'test/helpers/ceph-rgw-global.ts'],
          isolate: false,
        },
      },
    ],
  },
});
