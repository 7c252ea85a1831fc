// GET /api/v1/stats against a known set of cases whose timestamps are set directly in SQLite, and the SQL
// percentiles checked against the reference definition in test/helpers/percentile.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../helpers/percentile.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, PSORIASIS, reviewKit } from '../helpers/review-kit.js';
import type { QueueStatsBody } from '../../src/schemas/stats.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** Monday 00:00 UTC of the week holding `ms`, by the calendar (the SQL uses integer arithmetic instead). */
function mondayOf(ms: number): number {
  const d = new Date(ms);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
}

describe('turnaround statistics', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let referrer: { id: string; token: string };
  let admin: string;
  let slugA: string;
  const T0 = Math.floor((Date.now() - 10 * 24 * 60 * MIN) / MIN) * MIN;

  async function setCase(id: string, fields: Record<string, number | string | null>) {
    const columns = Object.keys(fields);
    await t.sql.run(`update cases set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ?`, ...Object.values(fields), id);
  }

  async function stats(query = ''): Promise<{ status: number; body: { from: string; to: string; queues: QueueStatsBody[]; code?: string } }> {
    const res = await t.http.get(`/api/v1/stats${query}`).set(auth(admin));
    return { status: res.status, body: res.body };
  }

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    referrer = await t.createUser('clinician');
    admin = await t.adminToken();
    slugA = await kit.queue(2);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await kit.openCase(referrer.token, { queue: slugA })).id);
    const now = Date.now();
    const at = (hours: number, minutes = 0) => T0 + hours * 60 * MIN + minutes * MIN;
    // Answered after 10 / 30 minutes, no dispute.
    await setCase(ids[0]!, { created_at: at(0), first_opinion_at: at(0, 10), answered_at: at(0, 30), status: 'answered', was_disputed: 0, due_at: at(0, 20) });
    // Disputed, then answered by a tie-breaker.
    await setCase(ids[1]!, { created_at: at(1), first_opinion_at: at(1, 20), answered_at: at(1, 60), status: 'answered', was_disputed: 1, due_at: at(1, 60) });
    // Answered, then closed by the referrer: still counts as answered.
    await setCase(ids[2]!, { created_at: at(2), first_opinion_at: at(2, 30), answered_at: at(2, 90), status: 'closed', was_disputed: 0, due_at: at(2, 60) });
    // Disputed and waiting for a tie-breaker since 45 minutes ago.
    await setCase(ids[3]!, { created_at: at(3), first_opinion_at: at(3, 40), status: 'disputed', was_disputed: 1, opinions_needed: 1, holders: 0, waiting_since: now - 45 * MIN, due_at: at(3, 60) });
    // Never looked at, waiting for 120 minutes.
    await setCase(ids[4]!, { created_at: at(4), status: 'queued', waiting_since: now - 120 * MIN, due_at: now + 60 * MIN });
    // Waiting for the referrer: open, but not waiting for a reviewer.
    await setCase(ids[5]!, { created_at: at(5), status: 'needs_info', waiting_since: now - 500 * MIN, due_at: at(5, 10) });
    // Outside every window below: 40 days before T0.
    await setCase(ids[6]!, { created_at: T0 - 40 * 24 * 60 * MIN, first_opinion_at: T0 - 40 * 24 * 60 * MIN + 1000 * MIN, answered_at: T0, status: 'answered' });
  });
  afterAll(async () => t.close());

  it('reports cases, answered, open, oldest wait, median and p90 turnaround and agreement for cases created in [from, to)', async () => {
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 24 * 60 * MIN).toISOString();
    const res = await stats(`?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(from);
    expect(res.body.to).toBe(to);
    const a = res.body.queues.find((q) => q.slug === slugA)!;
    expect(a).toMatchObject({
      cases: 6,
      answered: 3,
      open: 3,
      // [10, 20, 30, 40]: median 25, p90 at rank 2.7 = 30 + 0.7 * 10
      medianMinutesToFirstOpinion: 25,
      p90MinutesToFirstOpinion: 37,
      // [30, 60, 90]: median 60, p90 at rank 1.8 = 60 + 0.8 * 30
      medianMinutesToAnswer: 60,
      p90MinutesToAnswer: 84,
      // Complete first panels: cases 1, 2, 3 (answered) and 4 (disputed); agreed without dispute: 1 and 3.
      agreementRate: 0.5,
      // Answered or past due: cases 1, 2, 3 (answered; due at 20, 60, 60 minutes), 4 (disputed) and 6
      // (needs_info), both past due; case 5 is not yet due. Answered by its due time: case 2 only.
      withinDeadlineRate: 0.2,
    });
    expect(a.oldestWaitingMinutes).toBeCloseTo(120, 0);

    const general = res.body.queues.find((q) => q.slug === 'general')!;
    expect(general).toEqual({
      slug: 'general',
      cases: 0,
      answered: 0,
      open: 0,
      oldestWaitingMinutes: null,
      medianMinutesToFirstOpinion: null,
      p90MinutesToFirstOpinion: null,
      medianMinutesToAnswer: null,
      p90MinutesToAnswer: null,
      agreementRate: null,
      withinDeadlineRate: null,
      withOutcome: 0,
      concordanceRate: null,
    });
  });

  it('excludes cases created at or after `to`, and defaults to the last 30 days', async () => {
    const narrow = await stats(`?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 5 * 60 * MIN).toISOString()}`);
    expect(narrow.body.queues.find((q) => q.slug === slugA)).toMatchObject({ cases: 5, open: 2 });
    const defaults = await stats();
    expect(defaults.status).toBe(200);
    expect(Date.parse(defaults.body.to) - Date.parse(defaults.body.from)).toBe(30 * 24 * 60 * MIN);
    expect(Math.abs(Date.parse(defaults.body.to) - Date.now())).toBeLessThan(60_000);
    expect(defaults.body.queues.find((q) => q.slug === slugA)).toMatchObject({ cases: 6, answered: 3 });
  });

  it('computes the same median and p90 in SQL as the reference percentile for an uneven sample', async () => {
    const slug = await kit.queue(2);
    const minutes: number[] = [];
    const insert = `insert into cases (id, referrer_id, queue_slug, status, urgency, urgency_rank, patient_ref, age_years, sex,
      body_site, history, question, created_at, updated_at, quorum, opinions_needed, holders, first_opinion_at)
      values (?, ?, ?, 'in_review', 'routine', 2, 'P-1', 40, 'female', 'arm', '', 'q', ?, ?, 2, 1, 0, ?)`;
    let seed = 7;
    for (let i = 0; i < 37; i++) {
      seed = (seed * 48271) % 2147483647;
      const delayMs = (seed % 100_000) * 37; // up to ~62 minutes, with seconds
      minutes.push(delayMs / MIN);
      await t.sql.run(insert, `stats-sample-${i}`, referrer.id, slug, T0 + i * MIN, T0 + i * MIN, T0 + i * MIN + delayMs);
    }
    minutes.sort((x, y) => x - y);
    const res = await stats(`?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 24 * 60 * MIN).toISOString()}`);
    const q = res.body.queues.find((s) => s.slug === slug)!;
    expect(q.cases).toBe(37);
    expect(q.medianMinutesToFirstOpinion).toBeCloseTo(percentile(minutes, 0.5)!, 2);
    expect(q.p90MinutesToFirstOpinion).toBeCloseTo(percentile(minutes, 0.9)!, 2);
    expect(q.medianMinutesToAnswer).toBeNull();
  });

  it('measures a case taken through the real workflow', async () => {
    const slug = await kit.queue(1);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const created = await kit.openCase(referrer.token, { queue: slug });
    await kit.claim(reviewer!.token, slug);
    expect((await kit.opinion(reviewer!.token, created.id, PSORIASIS)).body.status).toBe('answered');
    const q = (await stats()).body.queues.find((s) => s.slug === slug)!;
    expect(q).toMatchObject({ cases: 1, answered: 1, open: 0, oldestWaitingMinutes: null, agreementRate: 1 });
    expect(q.medianMinutesToAnswer).toBeGreaterThanOrEqual(0);
    expect(q.medianMinutesToAnswer).toBeLessThan(1);
  });

  it('cuts each queue by week with by=week: every week of the period, empty ones included, as computed from the rows', async () => {
    const slug = await kit.queue(2);
    // A Wednesday noon about eight weeks ago to a Tuesday five weeks later: six weeks overlap the period,
    // the first and last only in part.
    const monday = mondayOf(Date.now()) - 8 * 7 * DAY;
    const from = monday + 2 * DAY + 12 * 60 * MIN;
    const to = monday + 5 * 7 * DAY + DAY;
    const insert = `insert into cases (id, referrer_id, queue_slug, status, urgency, urgency_rank, patient_ref, age_years, sex,
      body_site, history, question, created_at, updated_at, quorum, opinions_needed, holders, answered_at)
      values (?, ?, ?, ?, 'routine', 2, 'P-1', 40, 'female', 'arm', '', 'q', ?, ?, 2, 2, 0, ?)`;
    // [created, minutes to answer or null]. Week 1 stays empty; the first case is before `from`, the last at `to`.
    const seeded: [number, number | null][] = [
      [from - MIN, 5],
      [from, 30],
      [monday + 6 * DAY + 23 * 60 * MIN, null],
      [monday + 14 * DAY, 10],
      [monday + 15 * DAY, 20.5],
      [monday + 16 * DAY, 61],
      [monday + 20 * DAY + 23 * 60 * MIN + 59 * MIN, 7],
      [monday + 21 * DAY, null],
      [monday + 28 * DAY + 1, 1000],
      [monday + 28 * DAY + 2, 2000],
      [to - 1, null],
      [to, 3],
    ];
    for (const [i, [created, answerMinutes]] of seeded.entries()) {
      const answeredAt = answerMinutes === null ? null : created + answerMinutes * MIN;
      await t.sql.run(insert, `stats-week-${i}`, referrer.id, slug, answeredAt === null ? 'queued' : 'answered', created, created, answeredAt);
    }

    // The reference: the rows in [from, to), grouped by the calendar's Monday.
    const expected = [];
    for (let start = mondayOf(from); start < to; start += 7 * DAY) {
      const inWeek = seeded.filter(([created]) => created >= from && created < to && mondayOf(created) === start);
      const waits = inWeek.flatMap(([, m]) => (m === null ? [] : [m]));
      expected.push({ start: new Date(start).toISOString(), cases: inWeek.length, answered: waits.length, medianMinutesToAnswer: percentile(waits, 0.5) });
    }
    expect(expected).toHaveLength(6);
    expect(expected[1]).toMatchObject({ cases: 0, answered: 0, medianMinutesToAnswer: null });
    expect(expected[2]).toMatchObject({ cases: 4, answered: 4, medianMinutesToAnswer: 15.25 });

    const res = await stats(`?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&by=week`);
    expect(res.status).toBe(200);
    const q = res.body.queues.find((s) => s.slug === slug)!;
    expect(q.weeks).toEqual(expected);
    // The weeks add up to the queue's totals.
    expect(q.weeks!.reduce((n, w) => n + w.cases, 0)).toBe(q.cases);
    expect(q.weeks!.reduce((n, w) => n + w.answered, 0)).toBe(q.answered);
    // Every queue lists the same weeks, a queue without cases in the period with zeros.
    for (const other of res.body.queues) expect(other.weeks!.map((w) => w.start)).toEqual(expected.map((w) => w.start));
    const empty = await kit.queue(2);
    expect(res.body.queues.find((s) => s.slug === empty)).toBeUndefined();
    const again = await stats(`?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&by=week`);
    expect(again.body.queues.find((s) => s.slug === empty)!.weeks).toEqual(expected.map((w) => ({ start: w.start, cases: 0, answered: 0, medianMinutesToAnswer: null })));
  });

  it('adds no weeks without by=week, and refuses another grouping or too long a period with 400', async () => {
    const plain = await stats();
    expect(plain.status).toBe(200);
    for (const q of plain.body.queues) expect(q).not.toHaveProperty('weeks');
    expect((await stats('?by=month')).status).toBe(400);
    const long = await stats(`?from=2000-01-01T00:00:00Z&to=2010-01-01T00:00:00Z&by=week`);
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('VALIDATION_ERROR');
    const fiveYears = await stats(`?from=2020-01-01T00:00:00Z&to=2024-12-01T00:00:00Z&by=week`);
    expect(fiveYears.status).toBe(200);
    expect(fiveYears.body.queues[0]!.weeks!.length).toBeGreaterThan(250);
  });

  it('refuses a reversed or unreadable period with 400, and non-admins with 403', async () => {
    const reversed = await stats(`?from=${new Date(T0).toISOString()}&to=${new Date(T0 - MIN).toISOString()}`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('VALIDATION_ERROR');
    expect((await stats('?from=yesterday')).status).toBe(400);
    expect((await t.http.get('/api/v1/stats').set(auth(referrer.token))).status).toBe(403);
  });
});
