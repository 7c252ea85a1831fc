// Specialist queues, with their current load.
import { asc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { cases, queues } from '../db/schema.js';
import { sqlList } from '../db/sql.js';
import type { QueueDefinition } from '../cases/routing.js';
import { CLAIMABLE_STATUSES, OPEN_STATUSES } from '../vocabulary.js';

export type Queue = typeof queues.$inferSelect;

export function createQueueRepository(db: Db, clock: Clock) {
  return {
    async list(): Promise<Queue[]> {
      return db.select().from(queues).orderBy(asc(queues.slug)).all();
    },

    /** Queues with their open cases and the age of the oldest case waiting for a reviewer. */
    async listWithLoad(now: number): Promise<(Queue & { open: number; oldestWaitingMinutes: number | null })[]> {
      const rows = db
        .select({
          q: queues,
          open: sql<number>`(select count(*) from ${cases} where ${cases.queueSlug} = ${queues.slug}
                 and ${cases.status} in (${sqlList(OPEN_STATUSES)}))`,
          // Claimable now: fewer holders than opinions needed (the partial index cases_claimable_idx, whose
          // terms are repeated literally so SQLite uses it), or held only by a lapsed claim not yet swept.
          oldestWaitingSince: sql<number | null>`(select min(coalesce(a, b), coalesce(b, a)) from (select
                 (select min(c.waiting_since) from cases c where c.queue_slug = ${queues.slug}
                   and c.status in (${sqlList(CLAIMABLE_STATUSES)}) and c.holders < c.opinions_needed) as a,
                 (select min(c.waiting_since) from claims k join cases c on c.id = k.case_id
                   where k.expires_at <= ${now} and c.queue_slug = ${queues.slug}
                   and c.status in (${sqlList(CLAIMABLE_STATUSES)})) as b))`,
        })
        .from(queues)
        .orderBy(asc(queues.slug))
        .all();
      return rows.map((r) => ({
        ...r.q,
        open: r.open,
        oldestWaitingMinutes: r.oldestWaitingSince === null ? null : Math.max(0, Math.round((now - r.oldestWaitingSince) / 600) / 100),
      }));
    },

    async findBySlug(slug: string): Promise<Queue | null> {
      return db.select().from(queues).where(eq(queues.slug, slug)).get() ?? null;
    },

    async create(input: QueueDefinition): Promise<Queue> {
      const queue: Queue = { ...input, createdAt: clock.now() };
      db.insert(queues).values(queue).run();
      return queue;
    },

    /** Adds the given queues when missing; never changes an existing one (an admin may have tuned it). */
    async seed(definitions: readonly QueueDefinition[]): Promise<void> {
      const now = clock.now();
      db.transaction((tx) => {
        for (const d of definitions) {
          tx.insert(queues)
            .values({ ...d, createdAt: now })
            .onConflictDoNothing()
            .run();
        }
      });
    },
  };
}

export type QueueRepository = ReturnType<typeof createQueueRepository>;
