// Deadlines (SPEC "Notifications and deadlines"): dueAt from the urgency's target (the queue's own or the
// defaults), overdue cases marked, and one case.overdue event when a deadline passes unanswered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, PSORIASIS, reviewKit } from '../helpers/review-kit.js';

const HOUR = 3_600_000;

describe('deadlines', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let admin: string;
  const dueHours = (c: { createdAt: string; dueAt: string }) => (Date.parse(c.dueAt) - Date.parse(c.createdAt)) / HOUR;
  const overdueEvents = async (caseId: string) => (await t.sql.rows<{ seq: number }>("select seq from outbox_events where type = 'case.overdue' and case_id = ?", caseId)).length;

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    admin = await t.adminToken();
  });
  afterAll(async () => t.close());

  it('gives each case dueAt = createdAt + its urgency target: 4, 24 and 72 hours by default', async () => {
    const slug = await kit.queue(1);
    const referrer = await t.createUser('clinician');
    for (const [urgency, hours] of [['urgent', 4], ['soon', 24], ['routine', 72]] as const) {
      const c = await kit.openCase(referrer.token, { queue: slug, urgency });
      const read = (await kit.read(referrer.token, c.id)).body;
      expect(dueHours(read), urgency).toBe(hours);
      expect(read.overdue).toBe(false);
    }
    const queue = (await t.http.get('/api/v1/queues').set(auth(admin))).body.find((q: { slug: string }) => q.slug === slug);
    expect(queue.deadlineHours).toEqual({ urgent: 4, soon: 24, routine: 72 });
  });

  it("takes a queue's own targets for new cases, keeps the defaults for the others, and a reroute takes the new queue's", async () => {
    const slug = await kit.queue(1);
    const patched = await t.http.patch(`/api/v1/queues/${slug}`).set(auth(admin)).send({ deadlineHours: { urgent: 2 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.deadlineHours).toEqual({ urgent: 2, soon: 24, routine: 72 });
    const referrer = await t.createUser('clinician');
    const urgent = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
    expect(dueHours(urgent as unknown as { createdAt: string; dueAt: string })).toBe(2);

    const other = await kit.queue(1);
    await t.http.patch(`/api/v1/queues/${other}`).set(auth(admin)).send({ deadlineHours: { urgent: 8 } });
    const [reviewer] = await kit.reviewers(1, [slug]);
    expect((await t.http.post(`/api/v1/cases/${urgent.id}/reroute`).set(auth(reviewer!.token)).send({ queue: other })).status).toBe(200);
    expect(dueHours((await kit.read(referrer.token, urgent.id)).body)).toBe(8);

    // Back to the defaults.
    expect((await t.http.patch(`/api/v1/queues/${slug}`).set(auth(admin)).send({ deadlineHours: null })).body.deadlineHours).toEqual({ urgent: 4, soon: 24, routine: 72 });
  });

  it('refuses targets that are not positive numbers, unknown urgencies, an unknown queue and non-admins', async () => {
    const slug = await kit.queue(1);
    for (const deadlineHours of [{ urgent: 0 }, { urgent: -1 }, { urgent: 'soon' }, { critical: 1 }, { urgent: 1e9 }]) {
      expect((await t.http.patch(`/api/v1/queues/${slug}`).set(auth(admin)).send({ deadlineHours })).status, JSON.stringify(deadlineHours)).toBe(400);
    }
    expect((await t.http.patch(`/api/v1/queues/${slug}`).set(auth(admin)).send({})).status).toBe(400);
    expect((await t.http.patch('/api/v1/queues/no-such-queue').set(auth(admin)).send({ deadlineHours: { urgent: 1 } })).status).toBe(404);
    const clinician = await t.createUser('clinician');
    expect((await t.http.patch(`/api/v1/queues/${slug}`).set(auth(clinician.token)).send({ deadlineHours: { urgent: 1 } })).status).toBe(403);
    expect((await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: `${slug}-x`, name: 'X', deadlineHours: { soon: 0 } })).status).toBe(400);
  });

  it('marks a case overdue once its deadline passes unanswered, announces it once, and never an answered case', async () => {
    const slug = await kit.queue(1);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const referrer = await t.createUser('clinician');
    const waiting = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
    const answered = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
    expect((await kit.claim(reviewer!.token, slug)).body.id).toBe(waiting.id);
    expect((await t.http.post(`/api/v1/cases/${waiting.id}/release`).set(auth(reviewer!.token))).status).toBe(204);
    // Quorum 1: one opinion answers the second case.
    const claimed = (await kit.claim(reviewer!.token, slug)).body.id;
    const answer = claimed === answered.id ? answered.id : waiting.id;
    expect((await kit.opinion(reviewer!.token, answer, PSORIASIS)).status).toBe(201);
    const open = answer === answered.id ? waiting.id : answered.id;

    await t.app.jobs.run('announceOverdue');
    expect(await overdueEvents(open)).toBe(0);
    t.clock.advance(4 * HOUR + 1000);
    expect((await kit.read(referrer.token, open)).body.overdue).toBe(true);
    expect((await kit.read(referrer.token, answer)).body.overdue).toBe(false);

    await t.app.jobs.run('announceOverdue');
    await t.app.jobs.run('announceOverdue');
    expect(await overdueEvents(open)).toBe(1);
    expect(await overdueEvents(answer)).toBe(0);

    const list = (await t.http.get(`/api/v1/cases?queue=${slug}`).set(auth(reviewer!.token))).body.items as { id: string; overdue: boolean }[];
    expect(list.find((c) => c.id === open)?.overdue).toBe(true);
  });
});
