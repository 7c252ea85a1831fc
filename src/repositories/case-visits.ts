// When each user last opened each case, so that what came since their previous visit can be marked new.
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';

export function createCaseVisitRepository(database: Database, clock: Clock) {
  const { caseVisits } = database.tables;
  return {
    /**
     * Records a visit now and gives the time of the one before (null on the first), in one statement on the
     * hot path of reading a case. A RETURNING clause sees the row as written, so the previous time is read by a
     * materialized CTE that the insert itself draws on: both dialects evaluate it before the row changes
     * (PostgreSQL's CTEs share the statement's snapshot; SQLite fills a materialized CTE at its first use).
     */
    async record(userId: string, caseId: string, now = clock.now()): Promise<number | null> {
      const [row] = await database.rows<{ previous: number | null }>(sql`
        with previous as materialized (
          select ${caseVisits.visitedAt} as at from ${caseVisits} where ${caseVisits.userId} = ${userId} and ${caseVisits.caseId} = ${caseId}
        )
        insert into ${caseVisits} (user_id, case_id, visited_at)
        select ${userId}, ${caseId}, cast(${now} as bigint) from (select 1 as one) as visit left join previous on true where true
        on conflict (user_id, case_id) do update set visited_at = excluded.visited_at
        returning (select at from previous) as previous`);
      return row?.previous ?? null;
    },
  };
}

export type CaseVisitRepository = ReturnType<typeof createCaseVisitRepository>;
