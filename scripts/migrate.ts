// Brings the database up to the current schema and exits: the service does this on start, but an
// operator may want it done (and its failure seen) before rolling out new instances.
//
//   npm run db:migrate      # SQLite under DATA_DIR, or PostgreSQL when DATABASE_URL is set
import pino from 'pino';
import { loadConfigOrExit } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

async function main() {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const database = openDatabase({ file: config.databaseFile, url: config.databaseUrl, log });
  try {
    await database.ready();
    process.stdout.write(`${database.dialect} database is up to date\n`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
