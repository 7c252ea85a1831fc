// Specialist queues, with their current load.
import { asc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { queues } from '../db/schema.js';
import { sqlList } from '../db/sql.js';
import type { QueueDefinition } from '../cases/routing.js';
import { CLAIMABLE_STATUSES, OPEN_STATUSES } from '../vocabulary.js';

export type Queue = typeof queues.$inferSelect;

/** The enabled reviewers of a queue (a slug, or the outer query's queue column), for `from`. */
const activeReviewersOf = (slug: SQL | AnyColumn | string) =>
  sql`user_queues uq join users u on u.id = uq.user_id where uq.queue_slug = ${slug} and u.role = 'reviewer' and not u.disabled`;

export function createQueueRepository(database: Database, clock: Clock) {
  const { db, tables: { cases, queues } } = database;
  return {
    async list(): Promise<Queue[]> {
      return db.select().from(queues).orderBy(asc(queues.slug));
    },

    /** Queues with their open cases and the age of the oldest case waiting for a reviewer. */
    async listWithLoad(now: number): Promise<(Queue & { open: number; reviewers: number; oldestWaitingMinutes: number | null })[]> {
      const rows = await db
        .select({
          q: queues,
          open: sql<number>`(select count(*) from ${cases} where ${cases.queueSlug} = ${queues.slug}
                 and ${cases.status} in (${sqlList(OPEN_STATUSES)}))`,
          reviewers: sql<number>`(select count(*) from ${activeReviewersOf(queues.slug)})`,
          // Claimable now: fewer holders than opinions needed (the partial index cases_claimable_idx, whose
          // terms are repeated literally so SQLite uses it), or held only by a lapsed claim not yet swept.
          // The earlier of two times either of which may be missing, in SQL both dialects read alike.
          oldestWaitingSince: sql<number | null>`(select case when a is null then b when b is null or a < b then a else b end from (select
                 (select min(c.waiting_since) from cases c where c.queue_slug = ${queues.slug}
                   and c.status in (${sqlList(CLAIMABLE_STATUSES)}) and c.holders < c.opinions_needed) as a,
                 (select min(c.waiting_since) from claims k join cases c on c.id = k.case_id
                   where k.expires_at <= ${now} and c.queue_slug = ${queues.slug}
                   and c.status in (${sqlList(CLAIMABLE_STATUSES)})) as b) as waits)`,
        })
        .from(queues)
        .orderBy(asc(queues.slug));
      return rows.map((r) => ({
        ...r.q,
        open: Number(r.open),
        reviewers: Number(r.reviewers),
        oldestWaitingMinutes: r.oldestWaitingSince === null ? null : Math.max(0, Math.round((now - r.oldestWaitingSince) / 600) / 100),
      }));
    },

    /** Whether any enabled reviewer takes cases from the queue. */
    async hasActiveReviewer(slug: string): Promise<boolean> {
      const rows = await database.rows<{ one: number }>(sql`select 1 as one from ${activeReviewersOf(slug)} limit 1`);
      return rows.length > 0;
    },

    async findBySlug(slug: string): Promise<Queue | null> {
      const [queue] = await db.select().from(queues).where(eq(queues.slug, slug)).limit(1);
      return queue ?? null;
    },

    async create(input: QueueDefinition): Promise<Queue> {
      const queue: Queue = { ...input, createdAt: clock.now() };
      await db.insert(queues).values(queue);
      return queue;
    },

    /** Adds the given queues when missing; never changes an existing one (an admin may have tuned it). */
    async seed(definitions: readonly QueueDefinition[]): Promise<void> {
      const now = clock.now();
      if (definitions.length === 0) return;
      await db
        .insert(queues)
        .values(definitions.map((d) => ({ ...d, createdAt: now })))
        .onConflictDoNothing();
    },
  };
}

export type QueueRepository = ReturnType<typeof createQueueRepository>;
