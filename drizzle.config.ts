// drizzle-kit reads this to generate the SQLite migrations in db/sqlite/ from src/db/schema.ts
// (`npm run db:generate` makes both dialects' migrations; see drizzle.postgres.config.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './db/sqlite',
  dbCredentials: { url: process.env.DATABASE_FILE ?? './data/service.sqlite' },
});
