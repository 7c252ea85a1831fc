// The specialist review workflow over real HTTP: routing, claims, blinded opinions, consensus, discussion,
// reroute, close and who may see what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES } from '../../src/cases/routing.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, ECZEMA, PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

describe('specialist queues and collective diagnosis', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let referrer: { id: string; token: string };
  let otherClinician: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    referrer = await t.createUser('clinician');
    otherClinician = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  describe('routing of cases opened without a queue', () => {
    it('sends a case to general, saying why, when the routed queue has no active reviewer', async () => {
      const melanomaQuestion = { queue: undefined, history: 'A mole on the back has changed colour.', question: 'Melanoma?' };
      const queueLoad = async (slug: string) => ((await t.http.get('/api/v1/queues').set(auth(referrer.token))).body as { slug: string; reviewers: number }[]).find((q) => q.slug === slug)!;
      expect((await queueLoad('pigmented-lesions')).reviewers).toBe(0);
      const fallen = await kit.openCase(referrer.token, melanomaQuestion);
      expect(fallen.queue).toBe('general');
      const read = await kit.read(referrer.token, fallen.id);
      expect(read.body.timeline[0]).toMatchObject({ status: 'queued', reason: expect.stringMatching(/general.*pigmented-lesions.*no active reviewer/) });

      // A disabled reviewer covers nothing; an enabled one does.
      const reviewer = await t.createUser('reviewer', { queues: ['pigmented-lesions'] });
      await t.http.patch(`/api/v1/users/${reviewer.id}`).set(auth(await t.adminToken())).send({ disabled: true });
      expect((await queueLoad('pigmented-lesions')).reviewers).toBe(0);
      expect((await kit.openCase(referrer.token, melanomaQuestion)).queue).toBe('general');
      await t.http.patch(`/api/v1/users/${reviewer.id}`).set(auth(await t.adminToken())).send({ disabled: false });
      expect((await queueLoad('pigmented-lesions')).reviewers).toBe(1);
      const routed = await kit.openCase(referrer.token, melanomaQuestion);
      expect(routed.queue).toBe('pigmented-lesions');
      expect((await kit.read(referrer.token, routed.id)).body.timeline[0].reason).toBeUndefined();
    });

    it('keeps a queue the referrer chose even with no reviewer in it', async () => {
      const slug = await kit.queue(2);
      expect((await kit.openCase(referrer.token, { queue: slug })).queue).toBe(slug);
    });
  });

  describe('routing with a reviewer in every queue', () => {
    beforeAll(async () => {
      await t.createUser('reviewer', { queues: DEFAULT_QUEUES.map((q) => q.slug) });
    });

    it.each([
      ['wounds-postop', { history: 'Basal cell carcinoma excised two weeks ago.', question: 'Is the suture line healing well?' }],
      ['wounds-postop', { ageYears: 1, history: 'Infant, post-op check after port-wine stain laser.', question: 'Blistering normal?' }],
      ['paediatric', { ageYears: 8, history: 'Itchy flexural rash since infancy.', question: 'Eczema?' }],
      ['pigmented-lesions', { history: 'A MOLE on the back has changed colour.', question: 'Melanoma?' }],
      ['pigmented-lesions', { history: 'Several naevi, one larger.', question: 'Dysplastic nevus?' }],
      ['infections-sti', { history: 'Painless genital ulcer after unprotected sex.', question: 'Syphilis or another STI?' }],
      ['infections-sti', { history: 'Annular scaly patch, spreading.', question: 'Fungal infection?' }],
      ['general', { history: 'Itchy scaly plaque for a month.', question: 'Psoriasis or eczema?' }],
    ])('routes to %s by the SPEC rules: %o', async (queue, fields) => {
      const created = await kit.openCase(referrer.token, { queue: undefined, ageYears: 42, ...fields });
      expect(created.queue).toBe(queue);
      expect(created.status).toBe('queued');
    });

    it('keeps an explicitly chosen queue even when the words would route elsewhere', async () => {
      const created = await kit.openCase(referrer.token, { queue: 'inflammatory', question: 'Mole or psoriasis?' });
      expect(created.queue).toBe('inflammatory');
    });
  });

  describe('claims', () => {
    it('hands out urgent before soon before routine, oldest first within one urgency, then 204', async () => {
      const slug = await kit.queue(1);
      const [reviewer] = await kit.reviewers(1, [slug]);
      const routine = await kit.openCase(referrer.token, { queue: slug, urgency: 'routine' });
      const soon = await kit.openCase(referrer.token, { queue: slug, urgency: 'soon' });
      const urgentOld = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
      const urgentNew = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await kit.claim(reviewer!.token, slug);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.status).toBe('in_review');
        expect(Date.parse(res.body.claim.expiresAt)).toBeGreaterThan(Date.now() + 25 * 60_000);
        order.push(res.body.id);
      }
      expect(order).toEqual([urgentOld.id, urgentNew.id, soon.id, routine.id]);
      const empty = await kit.claim(reviewer!.token, slug);
      expect(empty.status).toBe(204);
      expect(empty.text).toBe('');
    });

    it('lets a case be held by no more reviewers than it needs opinions, never twice by one, never by one who gave an opinion', async () => {
      const slug = await kit.queue(2);
      const [a, b, c, d] = await kit.reviewers(4, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });

      expect((await kit.claim(a!.token, slug)).body.id).toBe(created.id);
      expect((await kit.claim(a!.token, slug)).status).toBe(204); // never twice
      expect((await kit.claim(b!.token, slug)).body.id).toBe(created.id);
      expect((await kit.claim(c!.token, slug)).status).toBe(204); // quorum 2: fully held
      expect(await kit.caseRow(created.id)).toMatchObject({ holders: 2, status: 'in_review' });

      expect((await kit.opinion(a!.token, created.id, PSORIASIS)).status).toBe(201);
      expect((await kit.claim(c!.token, slug)).status).toBe(204); // b still holds the one opinion needed
      const released = await t.http.post(`/api/v1/cases/${created.id}/release`).set(auth(b!.token));
      expect(released.status).toBe(204);
      expect(await kit.caseRow(created.id)).toMatchObject({ holders: 0, status: 'queued', opinions_needed: 1 });

      expect((await kit.claim(a!.token, slug)).status).toBe(204); // already gave an opinion
      expect((await kit.claim(c!.token, slug)).body.id).toBe(created.id);
      expect((await kit.claim(d!.token, slug)).status).toBe(204);
      expect((await kit.claimRows(created.id)).map((r) => r.reviewer_id)).toEqual([c!.id]);
    });

    it('gives one case with quorum 2 to exactly two of ten reviewers claiming at the same instant', async () => {
      const slug = await kit.queue(2);
      const reviewers = await kit.reviewers(10, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent' });
      const results = await Promise.all(reviewers.map((r) => kit.claim(r.token, slug)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 204, 204, 204, 204, 204, 204, 204, 204]);
      const winners = results.filter((r) => r.status === 200);
      expect(winners.every((r) => r.body.id === created.id)).toBe(true);
      const rows = await kit.claimRows(created.id);
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.reviewer_id)).size).toBe(2);
      expect(await kit.caseRow(created.id)).toMatchObject({ holders: 2, status: 'in_review' });
    });

    it('answers a release without a claim with 409 and audits claims and releases', async () => {
      const slug = await kit.queue(1);
      const [a, b] = await kit.reviewers(2, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      const none = await t.http.post(`/api/v1/cases/${created.id}/release`).set(auth(a!.token));
      expect(none.status).toBe(409);
      expect(none.body).toMatchObject({ statusCode: 409, code: 'CLAIM_REQUIRED' });
      expect(none.body.requestId).toEqual(expect.any(String));
      await kit.claim(a!.token, slug);
      expect((await t.http.post(`/api/v1/cases/${created.id}/release`).set(auth(a!.token))).status).toBe(204);
      expect((await kit.claim(b!.token, slug)).body.id).toBe(created.id);
      const actions = await kit.auditActions(created.id);
      expect(actions).toEqual(expect.arrayContaining(['case.claim', 'case.release', 'case.status']));
    });
  });

  describe('blinded opinions and consensus', () => {
    it('hides the other opinions from a reviewer until they give theirs, and from the referrer until answered', async () => {
      const slug = await kit.queue(2);
      const [a, b] = await kit.reviewers(2, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      await kit.claim(b!.token, slug);
      expect((await kit.opinion(a!.token, created.id, PSORIASIS)).body).toMatchObject({ status: 'in_review', outcome: 'pending' });

      const forB = await kit.read(b!.token, created.id);
      expect(forB.status).toBe(200);
      expect(forB.body.opinions).toEqual([]);
      expect(JSON.stringify(forB.body)).not.toContain('Plaque psoriasis');
      const forA = await kit.read(a!.token, created.id);
      expect(forA.body.opinions).toHaveLength(1);
      const forReferrer = await kit.read(referrer.token, created.id);
      expect(forReferrer.body.opinions).toEqual([]);
      expect(forReferrer.body.consensus).toBeNull();

      expect((await kit.opinion(b!.token, created.id, PSORIASIS_REWORDED)).body).toMatchObject({ status: 'answered', outcome: 'answered' });
      expect((await kit.read(b!.token, created.id)).body.opinions).toHaveLength(2);
      const answered = await kit.read(referrer.token, created.id);
      expect(answered.body.status).toBe('answered');
      expect(answered.body.opinions.map((o: { reviewer: { id: string } }) => o.reviewer.id).sort()).toEqual([a!.id, b!.id].sort());
      expect(answered.body.consensus).toMatchObject({ code: 'L40.0', system: 'icd10' });
      expect(answered.body.agreement).toBe(1);
      expect((await kit.auditActions(created.id)).filter((action) => action === 'case.opinion')).toHaveLength(2);
    });

    it('answers when two uncoded diagnoses agree after normalisation, and records the timeline and turnaround', async () => {
      const slug = await kit.queue(2);
      const [a, b] = await kit.reviewers(2, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      await kit.claim(b!.token, slug);
      await kit.opinion(a!.token, created.id, { text: 'Lichen planus.' });
      const second = await kit.opinion(b!.token, created.id, { text: 'lichen  PLANUS' });
      expect(second.status).toBe(201);
      expect(second.body.status).toBe('answered');
      const body = (await kit.read(referrer.token, created.id)).body;
      expect(body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'answered']);
      expect(body.timeline[2].by).toBe(b!.id);
      // The history names who acted: the referrer who sent it, the reviewer whose opinion answered it.
      expect(body.timeline[0]).toMatchObject({ actorType: 'user', actor: { id: referrer.id, name: expect.any(String) } });
      expect(body.timeline[2].actor).toEqual({ id: b!.id, name: expect.stringMatching(/^reviewer /) });
      const row = await kit.caseRow(created.id);
      expect(row).toMatchObject({ holders: 0, opinions_needed: 0, was_disputed: 0 });
      expect(row.first_opinion_at).toEqual(expect.any(Number));
      expect(row.answered_at).toEqual(expect.any(Number));
      expect(await kit.claimRows(created.id)).toEqual([]);
    });

    it('disputes a disagreement, sends it back for one tie-breaking opinion, then answers with the majority', async () => {
      const slug = await kit.queue(2);
      const [a, b, c] = await kit.reviewers(3, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      await kit.claim(b!.token, slug);
      await kit.opinion(a!.token, created.id, PSORIASIS);
      const disputed = await kit.opinion(b!.token, created.id, ECZEMA, { management: 'Refer to the skin clinic this week', disposition: 'urgent-referral' });
      expect(disputed.body).toMatchObject({ status: 'disputed', outcome: 'disputed' });
      expect((await kit.read(referrer.token, created.id)).body.answer).toBeUndefined();
      expect(await kit.caseRow(created.id)).toMatchObject({ status: 'disputed', opinions_needed: 1, holders: 0, was_disputed: 1, consensus: null });
      expect((await kit.read(referrer.token, created.id)).body.opinions).toEqual([]);

      expect((await kit.claim(a!.token, slug)).status).toBe(204); // earlier voters cannot break the tie
      const tieBreak = await kit.claim(c!.token, slug);
      expect(tieBreak.body).toMatchObject({ id: created.id, status: 'disputed' });
      expect(tieBreak.body.opinions).toEqual([]); // blind to the dispute's opinions too
      const settled = await kit.opinion(c!.token, created.id, PSORIASIS_REWORDED, { management: 'Biopsy the edge of the largest plaque', disposition: 'biopsy' });
      expect(settled.body).toMatchObject({ status: 'answered', outcome: 'answered' });

      const body = (await kit.read(referrer.token, created.id)).body;
      expect(body.opinions).toHaveLength(3);
      expect(body.consensus).toMatchObject({ code: 'L40.0' });
      expect(body.agreement).toBeCloseTo(2 / 3, 5);
      // The answer is the majority's: "2 of 3", the most cautious advice among the two who agreed
      // (biopsy over treat-locally), and the outvoted urgent referral apart, never merged into it.
      expect(body.answer).toEqual({
        diagnosis: body.consensus,
        management: 'Biopsy the edge of the largest plaque',
        disposition: 'biopsy',
        agreeing: 2,
        total: 3,
        dissent: [{ diagnosis: ECZEMA, disposition: 'urgent-referral' }],
      });
      expect(body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'disputed', 'answered']);
    });

    it('refuses an opinion without a live claim, a second opinion, and a malformed opinion', async () => {
      const slug = await kit.queue(2);
      const [a, b] = await kit.reviewers(2, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      const noClaim = await kit.opinion(a!.token, created.id, PSORIASIS);
      expect(noClaim.status).toBe(409);
      await kit.claim(a!.token, slug);
      await kit.claim(b!.token, slug);
      const noClaimWhileInReview = await kit.opinion((await kit.reviewers(1, [slug]))[0]!.token, created.id, PSORIASIS);
      expect(noClaimWhileInReview.body.code).toBe('CLAIM_REQUIRED');
      const malformed = await kit.opinion(a!.token, created.id, PSORIASIS, { confidence: 'certain' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('VALIDATION_ERROR');
      const noText = await kit.opinion(a!.token, created.id, { text: '' });
      expect(noText.status).toBe(400);
      expect((await kit.opinion(a!.token, created.id, PSORIASIS)).status).toBe(201);
      const twice = await kit.opinion(a!.token, created.id, ECZEMA);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('OPINION_EXISTS');
      const clinician = await kit.opinion(referrer.token, created.id, PSORIASIS);
      expect(clinician.status).toBe(403);
    });
  });

  describe('discussion, needs_info, reroute and close', () => {
    it('makes a needs_info round trip: a reviewer asks, claims are released, the referrer replies, the case is queued again', async () => {
      const slug = await kit.queue(2);
      const [a, b] = await kit.reviewers(2, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      await kit.claim(b!.token, slug);
      const asked = await kit.message(a!.token, created.id, 'Please send a dermoscopy photo of the edge.', true);
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({ requestInfo: true, caseStatus: 'needs_info', author: { id: a!.id } });
      expect(await kit.claimRows(created.id)).toEqual([]);
      expect(await kit.caseRow(created.id)).toMatchObject({ status: 'needs_info', holders: 0 });
      expect((await kit.claim(b!.token, slug)).status).toBe(204);
      expect((await kit.opinion(b!.token, created.id, PSORIASIS)).status).toBe(409);

      expect((await kit.message(referrer.token, created.id, 'Asking for information is for reviewers', true)).status).toBe(403);
      const replied = await kit.message(referrer.token, created.id, 'Dermoscopy attached tomorrow; the edge is irregular.');
      expect(replied.body.caseStatus).toBe('queued');
      expect((await kit.claim(b!.token, slug)).body.id).toBe(created.id);

      // A second question, answered this time with new photos.
      expect((await kit.message(b!.token, created.id, 'And a close-up, please.', true)).body.caseStatus).toBe('needs_info');
      const photos = await t.http.post(`/api/v1/cases/${created.id}/photos`).set(auth(referrer.token)).attach('photos', '../shared/fixtures/orient-2.jpg');
      expect(photos.status).toBe(201);
      const body = (await kit.read(referrer.token, created.id)).body;
      expect(body.status).toBe('queued');
      expect(body.messages.map((m: { body: string }) => m.body)).toEqual([
        'Please send a dermoscopy photo of the edge.',
        'Dermoscopy attached tomorrow; the edge is irregular.',
        'And a close-up, please.',
      ]);
      expect(body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'needs_info', 'queued', 'in_review', 'needs_info', 'queued']);
      expect(await kit.auditActions(created.id)).toEqual(expect.arrayContaining(['case.message', 'case.status', 'case.photos_add']));
    });

    it('keeps a plain reviewer message from changing the status, and keeps admins and other clinicians out of the thread', async () => {
      const slug = await kit.queue(2);
      const [a] = await kit.reviewers(1, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      expect((await kit.message(a!.token, created.id, 'Looks like psoriasis to me; waiting for a colleague.')).body.caseStatus).toBe('in_review');
      expect((await kit.message(await t.adminToken(), created.id, 'hello')).status).toBe(403);
      expect((await kit.message(otherClinician.token, created.id, 'hello')).status).toBe(404);
      expect((await kit.message(a!.token, created.id, '')).status).toBe(400);
      // Blank after trimming, or holding control characters that would hide or garble what the reader sees: refused.
      expect((await kit.message(a!.token, created.id, '  \n\t ')).status).toBe(400);
      const garbled = await kit.message(a!.token, created.id, 'Looks benign\u001b[2K\u0007');
      expect(garbled.status).toBe(400);
      expect(garbled.body.message).toMatch(/control characters/);
      // Line breaks stay; the text is kept trimmed.
      const kept = await kit.message(a!.token, created.id, '  First line\r\nsecond line  ');
      expect(kept.status).toBe(201);
      expect(kept.body.body).toBe('First line\nsecond line');
    });

    it('reroutes a case to another queue: queued there with its quorum, claims released, out of sight of the old queue', async () => {
      const from = await kit.queue(2);
      const to = await kit.queue(3);
      const [a] = await kit.reviewers(1, [from]);
      const [z] = await kit.reviewers(1, [to]);
      const created = await kit.openCase(referrer.token, { queue: from });
      await kit.claim(a!.token, from);
      expect((await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(a!.token)).send({ queue: 'no-such-queue' })).status).toBe(400);
      expect((await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(a!.token)).send({ queue: from })).status).toBe(409);
      expect((await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(referrer.token)).send({ queue: to })).status).toBe(403);

      const moved = await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(a!.token)).send({ queue: to });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ id: created.id, queue: to, status: 'queued' });
      expect(await kit.caseRow(created.id)).toMatchObject({ quorum: 3, opinions_needed: 3, holders: 0 });
      expect(await kit.claimRows(created.id)).toEqual([]);
      expect((await kit.read(a!.token, created.id)).status).toBe(404);
      expect((await kit.claim(z!.token, to)).body.id).toBe(created.id);

      const back = await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(await t.adminToken())).send({ queue: from });
      expect(back.body).toMatchObject({ queue: from, status: 'queued' });
      expect(await kit.auditActions(created.id)).toEqual(expect.arrayContaining(['case.reroute']));
    });

    it('lets the referrer or an admin close a case, releasing claims; a closed case takes nothing more (409)', async () => {
      const slug = await kit.queue(2);
      const [a] = await kit.reviewers(1, [slug]);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(a!.token, slug);
      expect((await t.http.post(`/api/v1/cases/${created.id}/close`).set(auth(a!.token))).status).toBe(403);
      expect((await t.http.post(`/api/v1/cases/${created.id}/close`).set(auth(otherClinician.token))).status).toBe(404);
      const closed = await t.http.post(`/api/v1/cases/${created.id}/close`).set(auth(referrer.token));
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      expect(await kit.claimRows(created.id)).toEqual([]);

      const opinion = await kit.opinion(a!.token, created.id, PSORIASIS);
      expect(opinion.status).toBe(409);
      expect(opinion.body).toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(opinion.body.message).toMatch(/closed/);
      expect((await t.http.post(`/api/v1/cases/${created.id}/close`).set(auth(await t.adminToken()))).status).toBe(409);
      expect((await kit.message(referrer.token, created.id, 'one more thing')).status).toBe(409);
      expect((await t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(a!.token)).send({ queue: 'general' })).status).toBe(409);
      expect((await kit.claim(a!.token, slug)).status).toBe(204);
      expect(await kit.auditActions(created.id)).toEqual(expect.arrayContaining(['case.close']));

      const other = await kit.openCase(referrer.token, { queue: slug });
      expect((await t.http.post(`/api/v1/cases/${other.id}/close`).set(auth(await t.adminToken()))).body.status).toBe('closed');
    });
  });

  describe('visibility', () => {
    it('answers 404 to a reviewer outside the queue for the case and every action on it, and for foreign or unknown queues', async () => {
      const slug = await kit.queue(2);
      const [inside] = await kit.reviewers(1, [slug]);
      const [outside] = await kit.reviewers(1, ['general']);
      const created = await kit.openCase(referrer.token, { queue: slug });
      await kit.claim(inside!.token, slug);
      const attempts = [
        kit.read(outside!.token, created.id),
        kit.claim(outside!.token, slug),
        kit.claim(outside!.token, 'no-such-queue'),
        t.http.post(`/api/v1/cases/${created.id}/release`).set(auth(outside!.token)),
        kit.opinion(outside!.token, created.id, PSORIASIS),
        kit.message(outside!.token, created.id, 'hello', true),
        t.http.post(`/api/v1/cases/${created.id}/reroute`).set(auth(outside!.token)).send({ queue: 'general' }),
        t.http.get(`/api/v1/cases?queue=${slug}`).set(auth(outside!.token)),
      ];
      const [read, claimForeign, claimUnknown, release, opinion, message, reroute, list] = await Promise.all(attempts);
      for (const res of [read, claimForeign, claimUnknown, release, opinion, message, reroute]) {
        expect(res!.status).toBe(404);
        expect(res!.body.code).toBe('NOT_FOUND');
      }
      expect(claimForeign!.body.message).toBe(claimUnknown!.body.message);
      expect(list!.body.items).toEqual([]);
      expect((await kit.claim(referrer.token, slug)).status).toBe(403);
    });

    it('documents every review route in the OpenAPI document', async () => {
      const doc = (await t.http.get('/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
      for (const path of ['/api/v1/queues/{slug}/claim', '/api/v1/cases/{id}/release', '/api/v1/cases/{id}/opinions', '/api/v1/cases/{id}/messages', '/api/v1/cases/{id}/reroute', '/api/v1/cases/{id}/close', '/api/v1/stats']) {
        expect(Object.keys(doc.paths[path] ?? {}), path).toContain(path === '/api/v1/stats' ? 'get' : 'post');
      }
    });

    it('shows the open cases and the oldest wait per queue in GET /queues', async () => {
      const slug = await kit.queue(1);
      const [a] = await kit.reviewers(1, [slug]);
      const first = await kit.openCase(referrer.token, { queue: slug });
      await kit.openCase(referrer.token, { queue: slug });
      await t.sql.run('update cases set waiting_since = ? where id = ?', Date.now() - 90 * 60_000, first.id);
      const load = async () => ((await t.http.get('/api/v1/queues').set(auth(a!.token))).body as { slug: string; open: number; oldestWaitingMinutes: number | null }[]).find((q) => q.slug === slug)!;
      expect(await load()).toMatchObject({ open: 2 });
      expect((await load()).oldestWaitingMinutes).toBeCloseTo(90, 0);
      await kit.claim(a!.token, slug); // takes the oldest: the other one is now the oldest waiting
      const after = await load();
      expect(after.open).toBe(2);
      expect(after.oldestWaitingMinutes).toBeLessThan(5);
      await kit.claim(a!.token, slug);
      expect((await load()).oldestWaitingMinutes).toBeNull();
    });
  });

  describe('no referrer judges their own case, and blinded reviewers learn no names', () => {
    it('never hands a referrer who became a reviewer their own case, nor takes their opinion on it', async () => {
      const slug = await kit.queue(2);
      const turncoat = await t.createUser('clinician');
      const own = await kit.openCase(turncoat.token, { queue: slug });
      const admin = await t.adminToken();
      const promoted = await t.http.patch(`/api/v1/users/${turncoat.id}`).set(auth(admin)).send({ role: 'reviewer', queues: [slug] });
      expect(promoted.status).toBe(200);
      const token = await t.login(turncoat.email, turncoat.password);
      expect((await kit.claim(token, slug)).status).toBe(204);
      // Even holding a claim made behind the service's back, the opinion is refused.
      await t.sql.run('insert into claims (case_id, reviewer_id, claimed_at, expires_at) values (?, ?, ?, ?)', own.id, turncoat.id, Date.now(), Date.now() + 600_000);
      await t.sql.run("update cases set status = 'in_review', holders = 1 where id = ?", own.id);
      const opinion = await kit.opinion(token, own.id, PSORIASIS);
      expect(opinion.status).toBe(409);
      expect(opinion.body.code).toBe('OWN_CASE');
      expect((await kit.caseRow(own.id)).first_opinion_at).toBeNull();
      // Someone else's case in the same queue is claimed as usual.
      const other = await kit.openCase(referrer.token, { queue: slug });
      const claimed = await kit.claim(token, slug);
      expect(claimed.status).toBe(200);
      expect(claimed.body.id).toBe(other.id);
    });

    it('shows a reviewer who has not given an opinion neither the ids nor the names of the other reviewers', async () => {
      const slug = await kit.queue(3);
      const [first, second, third] = await kit.reviewers(3, [slug]);
      const c = await kit.openCase(referrer.token, { queue: slug });
      expect((await kit.claim(first!.token, slug)).status).toBe(200);
      expect((await kit.message(first!.token, c.id, 'Could you add a dermoscopy photo?')).status).toBe(201);
      expect((await kit.opinion(first!.token, c.id, PSORIASIS)).status).toBe(201);
      expect((await kit.claim(second!.token, slug)).status).toBe(200);

      const blinded = await kit.read(second!.token, c.id);
      expect(blinded.status).toBe(200);
      const text = JSON.stringify(blinded.body);
      expect(text).not.toContain(first!.id);
      expect(blinded.body.timeline.map((e: { by: string | null }) => e.by)).toEqual(expect.arrayContaining([referrer.id, second!.id]));
      expect(blinded.body.messages[0].author).toEqual({ id: 'reviewer', name: 'Another reviewer' });
      // A hidden reviewer's step in the history is "another reviewer", never their name.
      expect(blinded.body.timeline.map((e: { actor: unknown }) => e.actor)).toContainEqual({ id: 'reviewer', name: 'Another reviewer' });
      const otherNames = (await t.http.get('/api/v1/users').set(auth(await t.adminToken()))).body
        .filter((u: { id: string }) => u.id === first!.id)
        .map((u: { name: string }) => u.name);
      for (const name of otherNames) expect(text).not.toContain(name);

      // Once their own opinion is in, they see who else acted.
      expect((await kit.opinion(second!.token, c.id, PSORIASIS_REWORDED)).status).toBe(201);
      const open = await kit.read(second!.token, c.id);
      expect(JSON.stringify(open.body)).toContain(first!.id);
      expect(open.body.messages[0].author.id).toBe(first!.id);
      // A third reviewer who has not judged yet is blinded as well.
      expect(JSON.stringify((await kit.read(third!.token, c.id)).body)).not.toContain(first!.id);
    });
  });
});
