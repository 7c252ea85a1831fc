// drizzle-kit reads this to generate the PostgreSQL migrations in db/postgres/ from the same tables,
// mirrored for PostgreSQL by src/db/postgres-schema.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres-schema.ts',
  out: './db/postgres',
});
