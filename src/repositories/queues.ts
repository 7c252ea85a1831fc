// Specialist queues, with their current load.
import { asc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { queues } from '../db/schema.js';
import { sqlList } from '../db/sql.js';
import type { DeadlineHours } from '../cases/deadlines.js';
import type { QueueDefinition } from '../cases/routing.js';
import { CLAIMABLE_STATUSES, OPEN_STATUSES } from '../vocabulary.js';

export type Queue = typeof queues.$inferSelect;

export interface QueueCounts {
  queue: string;
  /** Not answered or closed. */
  open: number;
  /** Claimable now (fewer holders than opinions needed). */
  waiting: number;
  queued: number;
  inReview: number;
  needsInfo: number;
  disputed: number;
  /** Open and past their deadline. */
  overdue: number;
}

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

    /**
     * What a queue's page counts, for the live `queue.counts` event: open cases by status, those a reviewer
     * could claim now, and those past their deadline.
     */
    async counts(slugs: string[], now: number): Promise<QueueCounts[]> {
      if (slugs.length === 0) return [];
      const rows = await database.rows<{ slug: string; status: string; n: number; claimable: number; overdue: number }>(sql`
        select queue_slug as slug, status, count(*) as n,
          sum(case when holders < opinions_needed and status in (${sqlList(CLAIMABLE_STATUSES)}) then 1 else 0 end) as claimable,
          sum(case when due_at <= ${now} then 1 else 0 end) as overdue
        from cases where queue_slug in (${sql.join(slugs.map((s) => sql`${s}`), sql`, `)}) and status in (${sqlList(OPEN_STATUSES)})
        group by queue_slug, status`);
      return slugs.map((slug) => {
        const mine = rows.filter((r) => r.slug === slug);
        const of = (status: string) => Number(mine.find((r) => r.status === status)?.n ?? 0);
        return {
          queue: slug,
          open: mine.reduce((n, r) => n + Number(r.n), 0),
          waiting: mine.reduce((n, r) => n + Number(r.claimable), 0),
          queued: of('queued'),
          inReview: of('in_review'),
          needsInfo: of('needs_info'),
          disputed: of('disputed'),
          overdue: mine.reduce((n, r) => n + Number(r.overdue), 0),
        };
      });
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

    async create(input: QueueDefinition, deadlineHours: DeadlineHours | null = null): Promise<Queue> {
      const queue: Queue = { ...input, deadlineHours, createdAt: clock.now() };
      await db.insert(queues).values(queue);
      return queue;
    },

    /** False when there is no such queue. */
    async update(slug: string, changes: { name?: string; description?: string; deadlineHours?: DeadlineHours | null }): Promise<boolean> {
      const rows = await db.update(queues).set(changes).where(eq(queues.slug, slug)).returning({ slug: queues.slug });
      return rows.length === 1;
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
