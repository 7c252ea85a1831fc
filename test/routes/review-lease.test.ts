// Claims are leases: once CLAIM_LEASE_MINUTES have passed on the app's clock, a claim lapses and the case
// goes back to the queue. The test moves the clock past the lease instead of waiting for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, PSORIASIS, reviewKit } from '../helpers/review-kit.js';

const LEASE_MS = 30 * 60_000;

describe('claim leases', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let referrer: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp({ CLAIM_LEASE_MINUTES: String(LEASE_MS / 60_000) });
    kit = reviewKit(t);
    referrer = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  it('returns a lapsed claim to the queue for the next reviewer, and refuses the lapsed holder an opinion', async () => {
    const slug = await kit.queue(1);
    const [a, b] = await kit.reviewers(2, [slug]);
    const created = await kit.openCase(referrer.token, { queue: slug });
    const first = await kit.claim(a!.token, slug);
    expect(first.status).toBe(200);
    expect(Date.parse(first.body.claim.expiresAt) - t.clock.now()).toBeLessThanOrEqual(LEASE_MS);
    expect((await kit.claim(b!.token, slug)).status).toBe(204);

    t.clock.advance(LEASE_MS - 60_000);
    expect((await kit.claim(b!.token, slug)).status).toBe(204);
    t.clock.advance(60_000);
    const second = await kit.claim(b!.token, slug);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(created.id);
    expect((await kit.claimRows(created.id)).map((r) => r.reviewer_id)).toEqual([b!.id]);

    const late = await kit.opinion(a!.token, created.id, PSORIASIS);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CLAIM_REQUIRED');
    expect((await t.http.post(`/api/v1/cases/${created.id}/release`).set(auth(a!.token))).status).toBe(409);

    const body = (await kit.read(referrer.token, created.id)).body;
    expect(body.timeline.map((e: { status: string; by: string | null }) => [e.status, e.by])).toEqual([
      ['queued', referrer.id],
      ['in_review', a!.id],
      ['queued', null],
      ['in_review', b!.id],
    ]);
    expect(await kit.auditActions(created.id)).toEqual(expect.arrayContaining(['case.claim', 'case.claim_lapsed']));
  });

  it('sweeps lapsed claims on its own, so readers and the queue load see the case waiting again', async () => {
    const slug = await kit.queue(2);
    const [a] = await kit.reviewers(1, [slug]);
    const created = await kit.openCase(referrer.token, { queue: slug });
    await kit.claim(a!.token, slug);
    expect((await kit.read(a!.token, created.id)).body.status).toBe('in_review');
    await t.app.jobs.run('sweepLapsedClaims');
    expect((await kit.read(a!.token, created.id)).body.status).toBe('in_review');
    t.clock.advance(LEASE_MS);
    await t.app.jobs.run('sweepLapsedClaims');
    expect((await kit.read(a!.token, created.id)).body.status).toBe('queued');
    expect(await kit.caseRow(created.id)).toMatchObject({ holders: 0 });
    const load = ((await t.http.get('/api/v1/queues').set(auth(a!.token))).body as { slug: string; open: number; oldestWaitingMinutes: number | null }[]).find((q) => q.slug === slug);
    expect(load).toMatchObject({ open: 1 });
    expect(load!.oldestWaitingMinutes).not.toBeNull();
  });

  it('counts a lapsed but not yet swept claim as waiting in the queue load', async () => {
    const slug = await kit.queue(1);
    const [a] = await kit.reviewers(1, [slug]);
    await kit.openCase(referrer.token, { queue: slug });
    await kit.claim(a!.token, slug);
    const before = ((await t.http.get('/api/v1/queues').set(auth(a!.token))).body as { slug: string; oldestWaitingMinutes: number | null }[]).find((q) => q.slug === slug);
    expect(before!.oldestWaitingMinutes).toBeNull();
    // The lease lapses; the sweep has not run yet.
    t.clock.advance(LEASE_MS);
    const after = ((await t.http.get('/api/v1/queues').set(auth(a!.token))).body as { slug: string; oldestWaitingMinutes: number | null }[]).find((q) => q.slug === slug);
    expect(after!.oldestWaitingMinutes).not.toBeNull();
  });
});
