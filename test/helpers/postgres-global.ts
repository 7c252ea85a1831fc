// Vitest globalSetup: one throwaway PostgreSQL cluster for the whole run (initdb and start cost ~1 s, too
// much per test file). The workers get only its address, through inject('postgres'), and make databases of
// their own on it with createTestDatabase(adminUrl) from ./postgres.js.
import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresConnection } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL server; adminUrl is the url of its `postgres` database. */
    postgres: PostgresConnection;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgres();
  project.provide('postgres', { port: cluster.port, adminUrl: cluster.url('postgres') });
  return () => cluster.stop();
}
