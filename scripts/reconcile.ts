// Removes photo objects that no database row refers to (see src/storage/reconcile.ts). The service
// also runs this hourly (and at start), once across its instances; run it by hand after restoring a
// backup, for instance.
//
//   npm run reconcile                          # remove orphans older than 10 minutes
//   npm run reconcile -- --dry-run             # report only
//   npm run reconcile -- --grace-minutes 60    # a longer grace period
// Uses the service's configuration (DATA_DIR or DATABASE_URL, MINIO_*); prints the report as JSON.
import pino from 'pino';
import { loadConfigOrExit } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createRepositories } from '../src/repositories/index.js';
import { openObjectStore } from '../src/storage/object-store.js';
import { DEFAULT_GRACE_MS, reconcileObjects } from '../src/storage/reconcile.js';

function graceMsFromArgs(args: string[]): number {
  const at = args.findIndex((a) => a === '--grace-minutes' || a.startsWith('--grace-minutes='));
  if (at === -1) return DEFAULT_GRACE_MS;
  const raw = args[at]!.includes('=') ? args[at]!.split('=')[1] : args[at + 1];
  const minutes = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(minutes) || minutes < 0) {
    process.stderr.write(`--grace-minutes must be a number of minutes >= 0, got "${raw ?? ''}"\n`);
    process.exit(64);
  }
  return minutes * 60_000;
}

async function main() {
  const args = process.argv.slice(2);
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const database = openDatabase({ file: config.databaseFile, url: config.databaseUrl, log });
  const store = await openObjectStore(config, log);
  try {
    if (!(await store.ping(5000))) throw new Error('the object store does not answer');
    await database.ready();
    const repos = createRepositories(database);
    const report = await reconcileObjects(
      { store, keyHasRow: (key) => repos.cases.objectKeyExists(key), log },
      { graceMs: graceMsFromArgs(args), dryRun: args.includes('--dry-run') },
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await store.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reconcile failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
