// GET /api/v1/events: each user hears, live, of the cases they may see, and of nothing else; blinding holds
// in what an event carries; a client that reconnects with Last-Event-ID gets what it missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixturePath } from '../helpers/cases.js';
import { openEventStream, type EventStream, type StreamEvent } from '../helpers/event-stream.js';
import { auth, PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

describe('live events', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let base: string;
  const streams: EventStream[] = [];
  const open = async (token: string, lastEventId?: string) => {
    const s = await openEventStream(base, token, lastEventId);
    streams.push(s);
    return s;
  };
  const about = (caseId: string, name: string) => (e: StreamEvent) => e.event === name && e.data.caseId === caseId;

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    base = await t.baseUrl();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  it('answers 401 without a token and a 200 event stream with a retry time to a signed-in user', async () => {
    const res = await fetch(`${base}/api/v1/events`);
    expect(res.status).toBe(401);
    const clinician = await t.createUser('clinician');
    const s = await open(clinician.token);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/event-stream/);
    await expect.poll(() => s.text()).toMatch(/^retry: \d+\n/);
    expect((await fetch(`${base}/api/v1/events?lastEventId=abc`, { headers: auth(clinician.token) })).status).toBe(400);
  });

  it('tells the reviewers of the queue, the referrer and admins of a new case, with an id, and nobody else', async () => {
    const [slugA, slugB] = [await kit.queue(2), await kit.queue(2)];
    const [reviewerA] = await kit.reviewers(1, [slugA]);
    const [reviewerB] = await kit.reviewers(1, [slugB]);
    const [referrer, otherClinician] = [await t.createUser('clinician'), await t.createUser('clinician')];
    const [sA, sB, sRef, sOther, sAdmin] = await Promise.all([reviewerA!, reviewerB!, referrer, otherClinician].map((u) => open(u.token)).concat(open(await t.adminToken())));

    const inA = await kit.openCase(referrer.token, { queue: slugA, urgency: 'urgent' });
    const created = await sA!.next(about(inA.id, 'case.created'));
    expect(created.id).toMatch(/^\d+$/);
    expect(created.data).toMatchObject({ caseId: inA.id, queue: slugA, status: 'queued', urgency: 'urgent' });
    expect(Date.parse(created.data.dueAt as string) - Date.parse(inA.createdAt)).toBe(4 * 3_600_000);
    // Case text never travels in an event.
    expect(JSON.stringify(created.data)).not.toMatch(/patientRef|history|question/);
    await sRef!.next(about(inA.id, 'case.created'));
    await sAdmin!.next(about(inA.id, 'case.created'));
    const counts = await sA!.next((e) => e.event === 'queue.counts' && e.data.queue === slugA && e.data.open === 1);
    expect(counts.data).toMatchObject({ waiting: 1, queued: 1, overdue: 0 });

    // Events reach each stream in order: once queue B's case has arrived, queue A's would have come before it.
    const inB = await kit.openCase(otherClinician.token, { queue: slugB });
    await sB!.next(about(inB.id, 'case.created'));
    await sOther!.next(about(inB.id, 'case.created'));
    expect(sB!.events.some((e) => e.data.caseId === inA.id)).toBe(false);
    expect(sOther!.events.some((e) => e.data.caseId === inA.id)).toBe(false);
    expect(sRef!.events.some((e) => e.data.caseId === inB.id)).toBe(false);
    expect(sA!.events.some((e) => e.data.caseId === inB.id || (e.event === 'queue.counts' && e.data.queue === slugB))).toBe(false);
  });

  it('keeps blinding: the answer goes to the referrer and the panel, not to a reviewer who has not judged; messages carry no text or author', async () => {
    const slug = await kit.queue(2);
    const [r1, r2, r3] = await kit.reviewers(3, [slug]);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug });
    const [sRef, s1, s3] = await Promise.all([open(referrer.token), open(r1!.token), open(r3!.token)]);

    expect((await kit.claim(r1!.token, slug)).body.id).toBe(c.id);
    expect((await kit.message(r1!.token, c.id, 'Is it itchy at night?')).status).toBe(201);
    const message = await s3.next(about(c.id, 'message.created'));
    expect(message.data).toMatchObject({ caseId: c.id, requestInfo: false, authorType: 'user' });
    expect(JSON.stringify(message.data)).not.toMatch(/itchy|author"|authorId|name/);

    expect((await kit.opinion(r1!.token, c.id, PSORIASIS)).status).toBe(201);
    expect((await kit.claim(r2!.token, slug)).body.id).toBe(c.id);
    expect((await kit.opinion(r2!.token, c.id, PSORIASIS_REWORDED)).status).toBe(201);

    const answered = (e: StreamEvent) => about(c.id, 'case.updated')(e) && e.data.status === 'answered';
    const forReferrer = await sRef.next(answered);
    expect(forReferrer.data.answer).toMatchObject({ diagnosis: { code: 'L40.0' }, agreeing: 2, total: 2, dissent: [] });
    expect((await s1.next(answered)).data.answer).toMatchObject({ agreeing: 2 });
    const forUnjudged = await s3.next(answered);
    expect(forUnjudged.data).not.toHaveProperty('answer');
    expect(JSON.stringify(forUnjudged.data)).not.toMatch(/psoriasis|steroid/i);
  });

  it('tells readers of the case of photos added to it', async () => {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug });
    const s = await open(reviewer!.token);
    const res = await t.http.post(`/api/v1/cases/${c.id}/photos`).set(auth(referrer.token)).attach('photos', fixturePath('orient-2.jpg'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await s.next(about(c.id, 'photos.added'))).data).toMatchObject({ count: 1, uploaderType: 'user' });
  });

  it('ends the stream when its session ends (sign-out), and when the user is given other queues', async () => {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const s = await open(reviewer!.token);
    await expect.poll(() => s.text()).toMatch(/connected/);
    const other = await t.createUser('reviewer', { queues: [slug] });
    const kept = await open(other.token);
    expect((await t.http.patch(`/api/v1/users/${other.id}`).set(auth(await t.adminToken())).send({ queues: [] })).status).toBe(200);
    await expect.poll(() => kept.ended()).toBe(true);

    expect(s.ended()).toBe(false);
    expect((await t.http.post('/api/v1/auth/logout').set(auth(reviewer!.token))).status).toBe(204);
    await expect.poll(() => s.ended()).toBe(true);
    expect((await fetch(`${base}/api/v1/events`, { headers: auth(reviewer!.token) })).status).toBe(401);
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, and only that', async () => {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const referrer = await t.createUser('clinician');
    const first = await open(reviewer!.token);
    const before = await kit.openCase(referrer.token, { queue: slug });
    const seen = await first.next(about(before.id, 'case.created'));
    first.close();

    const missed = await kit.openCase(referrer.token, { queue: slug });
    const resumed = await open(reviewer!.token, seen.id);
    const replayed = await resumed.next(about(missed.id, 'case.created'));
    expect(Number(replayed.id)).toBeGreaterThan(Number(seen.id));
    expect(resumed.events.some((e) => e.data.caseId === before.id && e.event === 'case.created')).toBe(false);

    // A fresh stream starts from now: it does not replay the past.
    const fresh = await open(reviewer!.token);
    const later = await kit.openCase(referrer.token, { queue: slug });
    await fresh.next(about(later.id, 'case.created'));
    expect(fresh.events.some((e) => e.data.caseId === missed.id)).toBe(false);

    // An id from the future (another database) resumes from now rather than waiting for ever.
    const future = await open(reviewer!.token, '999999999');
    const next = await kit.openCase(referrer.token, { queue: slug });
    await future.next(about(next.id, 'case.created'));
  });
});
