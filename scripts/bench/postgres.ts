// The service on PostgreSQL for `npm run bench -- --postgres`: a throwaway cluster (the tests' helper:
// initdb under a temporary folder, its server on loopback, gone afterwards), a fresh database on it, and
// the service started with DATABASE_URL pointing there (it runs its migrations on start).
import fs from 'node:fs';
import { startPostgres } from '../../test/helpers/postgres.js';
import { startService, type RunningService } from './service.js';

export interface PostgresService {
  service: RunningService;
  /** The service's DATABASE_URL, for seeding. */
  url: string;
}

/** Runs `work` against the service on a throwaway PostgreSQL; the service and the cluster are stopped afterwards, also on failure. */
export async function withPostgresService<T>(work: (target: PostgresService) => Promise<T>, progress: (line: string) => void): Promise<T> {
  const started = performance.now();
  const cluster = await startPostgres();
  try {
    const url = await cluster.createDatabase('bench');
    const service = await startService({ DATABASE_URL: url });
    progress(`PostgreSQL on port ${cluster.port} (${cluster.dir}); service pid ${service.pid} at ${service.baseUrl} ready in ${Math.round(performance.now() - started)} ms`);
    try {
      return await work({ service, url });
    } finally {
      const code = await service.stop();
      if (code !== 0) progress(`the service on PostgreSQL exited with code ${code} (log: ${service.logFile})`);
      else fs.rmSync(service.dataDir, { recursive: true, force: true });
    }
  } finally {
    await cluster.stop();
  }
}
