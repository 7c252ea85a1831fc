// drizzle-kit reads this to generate the SQL migrations in db/ from src/db/schema.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './db',
  dbCredentials: { url: process.env.DATABASE_FILE ?? './data/service.sqlite' },
});
