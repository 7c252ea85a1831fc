// Turnaround and agreement per queue, computed in SQL over the cases created in a period.
//
// Definitions (test/routes/stats.test.ts checks this SQL against a reference written in test/helpers):
// - cases: cases created in [from, to) in the queue they are in now.
// - answered: those of them that have been answered (answered_at set; a later close keeps it).
// - open: those of them still queued, in_review, needs_info or disputed.
// - oldestWaitingMinutes: of those, the longest wait of a case a reviewer could claim now (claimable
//   status, fewer holders than opinions needed), counted from when it last entered the queue
//   (creation, the referrer's reply, a reroute, a dispute calling for a tie-breaker).
// - minutes to first opinion: created_at to the earliest opinion; minutes to answer: created_at to
//   answered_at. Median and p90 over the cases that reached that point, by percentile_cont (linear
//   interpolation between closest ranks, as PERCENTILE.INC): p90 of [10, 20, 30, 40] is 37. No case, no
//   figure: null.
// - agreementRate: of the cases whose first panel of `quorum` opinions is complete (answered, or
//   disputed at some point), the share answered without a dispute. null when there are none.
// - withinDeadlineRate: of the cases that were answered or are past due_at, the share answered by due_at
//   (answered_at <= due_at). null when there are none.
// - withOutcome: of the answered cases, those whose outcome the referrer has recorded; concordanceRate: of
//   those, the share whose consensus agrees with the outcome (src/cases/concordance.ts). null when none.
// Minute figures are rounded to 0.01 minute; the rate is a plain fraction (0..1).
//
// A reviewer's concordance (all time, not per period): their opinions, those on cases with a recorded
// outcome, and of those the ones whose own diagnosis agrees with it. Agreement is decided in TypeScript,
// not SQL: it normalises Unicode text, which the two dialects cannot do alike.
//
// Weekly (`by=week`): the same cases cut by the UTC week (Monday 00:00) they were created in, so a queue's
// weeks add up to its totals: cases, answered, and the median minutes to answer of that week's answered
// cases. Every week that overlaps [from, to) is listed, the empty ones with 0, 0 and null.
import { and, asc, count, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { concordanceOf, type Concordance } from '../cases/concordance.js';
import type { Database } from '../db/database.js';
import { sqlList } from '../db/sql.js';
import { CLAIMABLE_STATUSES, OPEN_STATUSES, type Diagnosis } from '../vocabulary.js';

export interface QueueStats {
  slug: string;
  cases: number;
  answered: number;
  open: number;
  oldestWaitingMinutes: number | null;
  medianMinutesToFirstOpinion: number | null;
  p90MinutesToFirstOpinion: number | null;
  medianMinutesToAnswer: number | null;
  p90MinutesToAnswer: number | null;
  agreementRate: number | null;
  withinDeadlineRate: number | null;
  withOutcome: number;
  concordanceRate: number | null;
}

export interface ReviewerConcordance extends Concordance {
  reviewer: { id: string; name: string };
  opinions: number;
}

export interface WeekStats {
  /** Monday 00:00 UTC of the week, epoch milliseconds. */
  start: number;
  cases: number;
  answered: number;
  medianMinutesToAnswer: number | null;
}

/** Rows grouped by a key, each group in the rows' order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

const WEEK_MS = 7 * 24 * 3600_000;
// The epoch fell on a Thursday; the first Monday after it is 4 days later. A week's number is the whole
// weeks since that Monday, which integer division gives alike in SQLite and PostgreSQL (on bigint) for
// every time after 1970, and the service keeps none before 2000.
const FIRST_MONDAY_MS = 4 * 24 * 3600_000;
const weekOf = (ms: number) => Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS);

export function createStatsRepository(database: Database) {
  const { db, tables } = database;
  const { caseOutcomes, cases, opinions, users } = tables;
  // The one place the dialects spell a statistic differently: SQLite's percentile_cont (compiled into
  // better-sqlite3) takes the fraction as a second argument; PostgreSQL's is an ordered-set aggregate.
  const percentile = (value: SQL, fraction: number) =>
    database.dialect === 'postgres' ? sql`percentile_cont(${sql.raw(String(fraction))}) within group (order by ${value})` : sql`percentile_cont(${value}, ${sql.raw(String(fraction))})`;
  const v = sql.raw('v');

  /** Per queue, the consensus of each answered case created in [from, to) against its recorded outcome. */
  async function queueConcordance(from: number, to: number): Promise<Map<string, Concordance>> {
    const rows = await db
      .select({ queue: cases.queueSlug, consensus: cases.consensus, outcome: caseOutcomes.diagnosis })
      .from(cases)
      .innerJoin(caseOutcomes, eq(caseOutcomes.caseId, cases.id))
      .where(and(gte(cases.createdAt, from), lt(cases.createdAt, to), isNotNull(cases.answeredAt), isNotNull(cases.consensus)));
    const byQueue = groupBy(rows, (r) => r.queue);
    return new Map([...byQueue].map(([queue, pairs]) => [queue, concordanceOf(pairs.map((p) => ({ diagnosis: p.consensus as Diagnosis, outcome: p.outcome })))]));
  }

  return {
    async perQueue(from: number, to: number, now: number): Promise<QueueStats[]> {
      const rows = await database.rows<{
        slug: string;
        cases: number | null;
        answered: number | null;
        open: number | null;
        oldest_since: number | null;
        first_median: number | null;
        first_p90: number | null;
        answer_median: number | null;
        answer_p90: number | null;
        agreed: number | null;
        panels: number | null;
        in_time: number | null;
        deadlines: number | null;
      }>(sql`
        with scoped as (
          -- Driven by cases_queue_idx (queue_slug, created_at): one range scan per queue.
          select c.id, c.queue_slug as q, c.status, c.created_at, c.first_opinion_at, c.answered_at, c.was_disputed,
            c.holders, c.opinions_needed, c.waiting_since, c.due_at
          from queues qu join cases c on c.queue_slug = qu.slug
          where c.created_at >= ${from} and c.created_at < ${to}
        ),
        first_pct as (
          select q, ${percentile(v, 0.5)} as median, ${percentile(v, 0.9)} as p90
          from (select q, (first_opinion_at - created_at) / 60000.0 as v from scoped where first_opinion_at is not null) as waits
          group by q
        ),
        answer_pct as (
          select q, ${percentile(v, 0.5)} as median, ${percentile(v, 0.9)} as p90
          from (select q, (answered_at - created_at) / 60000.0 as v from scoped where answered_at is not null) as waits
          group by q
        ),
        counts as (
          select q,
            count(*) as cases,
            count(*) filter (where answered_at is not null) as answered,
            count(*) filter (where status in (${sqlList(OPEN_STATUSES)})) as open,
            min(case when status in (${sqlList(CLAIMABLE_STATUSES)})
                      and (holders < opinions_needed
                           or exists (select 1 from claims k where k.case_id = scoped.id and k.expires_at <= ${now}))
                     then waiting_since end) as oldest_since,
            count(*) filter (where answered_at is not null and not was_disputed) as agreed,
            count(*) filter (where answered_at is not null or was_disputed) as panels,
            count(*) filter (where answered_at is not null and answered_at <= due_at) as in_time,
            count(*) filter (where answered_at is not null or due_at <= ${now}) as deadlines
          from scoped group by q
        )
        select qu.slug, counts.cases, counts.answered, counts.open, counts.oldest_since,
          first_pct.median as first_median, first_pct.p90 as first_p90,
          answer_pct.median as answer_median, answer_pct.p90 as answer_p90,
          counts.agreed, counts.panels, counts.in_time, counts.deadlines
        from queues qu
          left join counts on counts.q = qu.slug
          left join first_pct on first_pct.q = qu.slug
          left join answer_pct on answer_pct.q = qu.slug
        order by qu.slug`);
      const concordance = await queueConcordance(from, to);
      return rows.map((r) => ({
        slug: r.slug,
        cases: r.cases ?? 0,
        answered: r.answered ?? 0,
        open: r.open ?? 0,
        oldestWaitingMinutes: r.oldest_since === null ? null : round2(Math.max(0, (now - r.oldest_since) / 60_000)),
        medianMinutesToFirstOpinion: round2(r.first_median),
        p90MinutesToFirstOpinion: round2(r.first_p90),
        medianMinutesToAnswer: round2(r.answer_median),
        p90MinutesToAnswer: round2(r.answer_p90),
        agreementRate: r.panels ? (r.agreed ?? 0) / r.panels : null,
        withinDeadlineRate: r.deadlines ? (r.in_time ?? 0) / r.deadlines : null,
        withOutcome: concordance.get(r.slug)?.withOutcome ?? 0,
        concordanceRate: concordance.get(r.slug)?.rate ?? null,
      }));
    },

    /** Per queue (every queue, by slug), the weeks that overlap [from, to), oldest first. */
    async perQueueWeekly(from: number, to: number): Promise<Map<string, WeekStats[]>> {
      const week = sql.raw(String(WEEK_MS));
      const monday = sql.raw(String(FIRST_MONDAY_MS));
      const rows = await database.rows<{ slug: string; wk: number | null; cases: number | null; answered: number | null; median: number | null }>(sql`
        with scoped as (
          select c.queue_slug as q, (c.created_at - ${monday}) / ${week} as wk, c.created_at, c.answered_at
          from queues qu join cases c on c.queue_slug = qu.slug
          where c.created_at >= ${from} and c.created_at < ${to}
        ),
        counts as (
          select q, wk, count(*) as cases, count(*) filter (where answered_at is not null) as answered
          from scoped group by q, wk
        ),
        answer_pct as (
          select q, wk, ${percentile(v, 0.5)} as median
          from (select q, wk, (answered_at - created_at) / 60000.0 as v from scoped where answered_at is not null) as waits
          group by q, wk
        )
        select qu.slug, counts.wk, counts.cases, counts.answered, answer_pct.median
        from queues qu
          left join counts on counts.q = qu.slug
          left join answer_pct on answer_pct.q = counts.q and answer_pct.wk = counts.wk
        order by qu.slug, counts.wk`);
      const first = weekOf(from);
      const last = weekOf(to - 1);
      const result = new Map<string, WeekStats[]>();
      for (const r of rows) {
        let weeks = result.get(r.slug);
        if (!weeks) {
          weeks = [];
          for (let wk = first; wk <= last; wk++) weeks.push({ start: wk * WEEK_MS + FIRST_MONDAY_MS, cases: 0, answered: 0, medianMinutesToAnswer: null });
          result.set(r.slug, weeks);
        }
        if (r.wk === null) continue;
        const slot = weeks[Number(r.wk) - first];
        if (!slot) continue;
        slot.cases = Number(r.cases ?? 0);
        slot.answered = Number(r.answered ?? 0);
        slot.medianMinutesToAnswer = round2(r.median);
      }
      return result;
    },

    /**
     * Each reviewer's opinions against the recorded outcomes: one reviewer's (`reviewerId`), or every user
     * who is a reviewer or has given an opinion (a reviewer who became an admin keeps their record), by name.
     */
    async reviewerConcordance(reviewerId?: string): Promise<ReviewerConcordance[]> {
      const mine = reviewerId === undefined ? undefined : eq(opinions.reviewerId, reviewerId);
      const [people, given, pairs] = await Promise.all([
        db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(reviewerId === undefined ? or(eq(users.role, 'reviewer'), inArray(users.id, db.selectDistinct({ id: opinions.reviewerId }).from(opinions))) : eq(users.id, reviewerId))
          .orderBy(asc(users.name), asc(users.id)),
        db.select({ reviewerId: opinions.reviewerId, opinions: count() }).from(opinions).where(mine).groupBy(opinions.reviewerId),
        db
          .select({ reviewerId: opinions.reviewerId, diagnosis: opinions.diagnosis, outcome: caseOutcomes.diagnosis })
          .from(opinions)
          .innerJoin(caseOutcomes, eq(caseOutcomes.caseId, opinions.caseId))
          .where(mine),
      ]);
      const opinionCount = new Map(given.map((g) => [g.reviewerId, Number(g.opinions)]));
      const pairsOf = groupBy(pairs, (p) => p.reviewerId);
      return people.map((reviewer) => ({ reviewer, opinions: opinionCount.get(reviewer.id) ?? 0, ...concordanceOf(pairsOf.get(reviewer.id) ?? []) }));
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
