// Turnaround and agreement per queue, computed in SQL over the cases created in a period.
//
// Definitions (the same as src/cases/stats.ts, which the route tests check this SQL against):
// - cases: cases created in [from, to) in the queue they are in now.
// - answered: those of them that have been answered (answered_at set; a later close keeps it).
// - open: those of them still queued, in_review, needs_info or disputed.
// - oldestWaitingMinutes: of those, the longest wait of a case a reviewer could claim now (claimable
//   status, fewer holders than opinions needed), counted from when it last entered the queue
//   (creation, the referrer's reply, a reroute, a dispute calling for a tie-breaker).
// - minutes to first opinion: created_at to the earliest opinion; minutes to answer: created_at to
//   answered_at. Median and p90 over the cases that reached that point, by linear interpolation
//   between closest ranks (rank p * (n - 1), as percentile_cont / PERCENTILE.INC): p90 of
//   [10, 20, 30, 40] is 37. No case, no figure: null.
// - agreementRate: of the cases whose first panel of `quorum` opinions is complete (answered, or
//   disputed at some point), the share answered without a dispute. null when there are none.
// Minute figures are rounded to 0.01 minute; the rate is a plain fraction (0..1).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

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
}

/**
 * The p-quantile of `v` within each group of a CTE holding (q, v, i, n): i the 0-based rank of v in
 * ascending order, n the group's size. Rank r = p(n-1); the value is v[floor r] + (r - floor r)(v[ceil r] - v[floor r]).
 */
function percentileSql(p: number): SQL {
  const rank = sql.raw(`(${p} * (n - 1))`);
  const lower = sql`cast(${rank} as integer)`;
  const upper = sql`(${lower} + (${rank} > ${lower}))`;
  const low = sql`min(case when i = ${lower} then v end)`;
  const high = sql`min(case when i = ${upper} then v end)`;
  return sql`(${low} + max(${rank} - ${lower}) * (${high} - ${low}))`;
}

function rankedDurations(name: string, endColumn: string): SQL {
  return sql.raw(`${name} as (
      select q, (${endColumn} - created_at) / 60000.0 as v,
        row_number() over (partition by q order by ${endColumn} - created_at) - 1 as i,
        count(*) over (partition by q) as n
      from scoped where ${endColumn} is not null
    )`);
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export function createStatsRepository(db: Db) {
  return {
    async perQueue(from: number, to: number, now: number): Promise<QueueStats[]> {
      const rows = db.all<{
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
      }>(sql`
        with scoped as (
          -- Driven by cases_queue_idx (queue_slug, created_at): one range scan per queue.
          select c.id, c.queue_slug as q, c.status, c.created_at, c.first_opinion_at, c.answered_at, c.was_disputed,
            c.holders, c.opinions_needed, c.waiting_since
          from queues qu join cases c on c.queue_slug = qu.slug
          where c.created_at >= ${from} and c.created_at < ${to}
        ),
        ${rankedDurations('first_opinion', 'first_opinion_at')},
        ${rankedDurations('answer', 'answered_at')},
        first_pct as (select q, ${percentileSql(0.5)} as median, ${percentileSql(0.9)} as p90 from first_opinion group by q),
        answer_pct as (select q, ${percentileSql(0.5)} as median, ${percentileSql(0.9)} as p90 from answer group by q),
        counts as (
          select q,
            count(*) as cases,
            sum(answered_at is not null) as answered,
            sum(status in ('queued', 'in_review', 'needs_info', 'disputed')) as open,
            min(case when status in ('queued', 'in_review', 'disputed')
                      and (holders < opinions_needed
                           or exists (select 1 from claims k where k.case_id = scoped.id and k.expires_at <= ${now}))
                     then waiting_since end) as oldest_since,
            sum(answered_at is not null and not was_disputed) as agreed,
            sum(answered_at is not null or was_disputed) as panels
          from scoped group by q
        )
        select qu.slug, counts.cases, counts.answered, counts.open, counts.oldest_since,
          first_pct.median as first_median, first_pct.p90 as first_p90,
          answer_pct.median as answer_median, answer_pct.p90 as answer_p90,
          counts.agreed, counts.panels
        from queues qu
          left join counts on counts.q = qu.slug
          left join first_pct on first_pct.q = qu.slug
          left join answer_pct on answer_pct.q = qu.slug
        order by qu.slug`);
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
      }));
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
