// When each periodic job last started, shared by every instance on the database: an instance runs a job
// only if it takes the period with one conditional upsert, so the fleet runs each job once per period.
import { lte } from 'drizzle-orm';
import type { Database } from '../db/database.js';

export function createJobRunRepository({ db, tables: { jobRuns } }: Database) {
  return {
    /**
     * Takes the period starting `now` for the job if its last run started at least `periodMs` ago (or
     * never). On PostgreSQL, instances racing for it queue on the row, and the losers find the condition
     * false once the winner has committed. True when this caller took it.
     */
    async takePeriod(name: string, periodMs: number, now: number): Promise<boolean> {
      const taken = await db
        .insert(jobRuns)
        .values({ name, startedAt: now })
        .onConflictDoUpdate({ target: jobRuns.name, set: { startedAt: now }, setWhere: lte(jobRuns.startedAt, now - periodMs) })
        .returning({ name: jobRuns.name });
      return taken.length === 1;
    },
  };
}

export type JobRunRepository = ReturnType<typeof createJobRunRepository>;
