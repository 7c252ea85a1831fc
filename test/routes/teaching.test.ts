// The teaching collection and the trainee role over real HTTP: which cases reviewers may put in it, what a
// trainee reads (blinded, then revealed after their own opinion), their agreement over time, and the 404 a
// trainee gets on every case route, for a case outside the collection and for one inside it alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { getPhotoBytes } from '../helpers/cases.js';
import { auth, ECZEMA, PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

type User = { id: string; token: string };

const TEACHING_CONSENT = { teleconsultation: true, teaching: true };

describe('the teaching collection and the trainee role', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let slug: string;
  let r1: User;
  let r2: User;
  let elsewhere: User;
  let referrer: User;
  let trainee: User;
  let otherTrainee: User;
  let admin: string;
  let caseCounter = 0;

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    slug = await kit.queue(2);
    const [first, second] = await kit.reviewers(2, [slug]);
    [r1, r2] = [first!, second!];
    elsewhere = await t.createUser('reviewer', { queues: [await kit.queue(2)] });
    referrer = await t.createUser('clinician', { name: 'Dr Referrer Ndlovu' });
    trainee = await t.createUser('trainee');
    otherTrainee = await t.createUser('trainee');
    admin = await t.adminToken();
  });
  afterAll(async () => t.close());

  /** A case of the test queue, answered by the two reviewers agreeing on psoriasis, with or without teaching consent. */
  async function answeredCase({ teaching = true } = {}): Promise<{ id: string; patientRef: string }> {
    const patientRef = `TEACH-${++caseCounter}-${Date.now()}`;
    const created = await kit.openCase(referrer.token, { queue: slug, patientRef, consent: { teleconsultation: true, teaching } });
    for (const r of [r1, r2]) expect((await kit.claim(r.token, slug)).body.id).toBe(created.id);
    expect((await kit.opinion(r1.token, created.id, PSORIASIS)).status).toBe(201);
    expect((await kit.opinion(r2.token, created.id, PSORIASIS_REWORDED)).status).toBe(201);
    return { id: created.id, patientRef };
  }

  const addToTeaching = (token: string, id: string) => t.http.post(`/api/v1/cases/${id}/teaching`).set(auth(token));
  const removeFromTeaching = (token: string, id: string) => t.http.delete(`/api/v1/cases/${id}/teaching`).set(auth(token));
  const teachingCase = (token: string, id: string) => t.http.get(`/api/v1/teaching/${id}`).set(auth(token));
  const traineeOpinion = (token: string, id: string, diagnosis = PSORIASIS) =>
    t.http
      .post(`/api/v1/teaching/${id}/opinion`)
      .set(auth(token))
      .send({ diagnosis, differential: [ECZEMA], confidence: 'medium', management: 'Emollients and a topical steroid', disposition: 'treat-locally' });

  describe('putting cases in and taking them out', () => {
    it('lets a reviewer of the queue add an answered, consented case: 201, then 200; the case view says who and when; audited', async () => {
      const c = await answeredCase();
      expect((await kit.read(r1.token, c.id)).body.teaching).toBeNull();
      const added = await addToTeaching(r1.token, c.id);
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ addedAt: expect.any(String), addedBy: { id: r1.id, name: expect.any(String) } });
      const again = await addToTeaching(r2.token, c.id);
      expect(again.status).toBe(200);
      expect(again.body.addedBy.id).toBe(r1.id);
      for (const reader of [referrer.token, r2.token, admin]) expect((await kit.read(reader, c.id)).body.teaching).toEqual(added.body);
      expect(await kit.auditActions(c.id)).toContain('teaching.add');
    });

    it('refuses a case the panel has not answered and one without teaching consent, saying why (409)', async () => {
      const open = await kit.openCase(referrer.token, { queue: slug, consent: TEACHING_CONSENT });
      const early = await addToTeaching(r1.token, open.id);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'CASE_NOT_ANSWERED', message: expect.stringMatching(/answered/) });
      // Its reviews go on, so that the later cases of the queue are claimed in order.
      for (const r of [r1, r2]) await kit.claim(r.token, slug);
      for (const r of [r1, r2]) await kit.opinion(r.token, open.id, PSORIASIS);

      const unconsented = await answeredCase({ teaching: false });
      const refused = await addToTeaching(r1.token, unconsented.id);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'NO_TEACHING_CONSENT', message: expect.stringMatching(/did not consent to teaching/) });
      expect((await kit.read(r1.token, unconsented.id)).body.teaching).toBeNull();
    });

    it('is for the reviewers of the case’s queue and admins: another queue’s reviewer or an unknown id gets 404, the referrer 403', async () => {
      const c = await answeredCase();
      expect((await addToTeaching(elsewhere.token, c.id)).status).toBe(404);
      expect((await removeFromTeaching(elsewhere.token, c.id)).status).toBe(404);
      expect((await addToTeaching(r1.token, 'no-such-case')).status).toBe(404);
      expect((await addToTeaching(referrer.token, c.id)).status).toBe(403);
      expect((await addToTeaching(admin, c.id)).status).toBe(201);
    });

    it('takes a case out (204, again 204): trainees get 404 on it from then on, and it leaves their list', async () => {
      const c = await answeredCase();
      await addToTeaching(r1.token, c.id);
      expect((await teachingCase(trainee.token, c.id)).status).toBe(200);
      expect((await removeFromTeaching(r2.token, c.id)).status).toBe(204);
      expect((await removeFromTeaching(r2.token, c.id)).status).toBe(204);
      expect((await kit.read(r1.token, c.id)).body.teaching).toBeNull();
      expect((await teachingCase(trainee.token, c.id)).status).toBe(404);
      expect((await traineeOpinion(trainee.token, c.id)).status).toBe(404);
      const list = await t.http.get('/api/v1/teaching?limit=200').set(auth(trainee.token));
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
      expect(await kit.auditActions(c.id)).toEqual(expect.arrayContaining(['teaching.add', 'teaching.remove']));
    });
  });

  describe('a trainee and the case routes', () => {
    let outside: { id: string; photoId: string };
    let inside: { id: string; photoId: string };

    beforeAll(async () => {
      const a = await answeredCase();
      const b = await answeredCase();
      await addToTeaching(r1.token, b.id);
      const photoOf = async (id: string) => (await kit.read(r1.token, id)).body.photos[0].id as string;
      outside = { id: a.id, photoId: await photoOf(a.id) };
      inside = { id: b.id, photoId: await photoOf(b.id) };
    });

    it('signs in and reads their own account', async () => {
      const me = await t.http.get('/api/v1/me').set(auth(trainee.token));
      expect(me.status).toBe(200);
      expect(me.body.role).toBe('trainee');
    });

    it('gets 404 on every route of a case, outside the collection and inside it alike (teaching cases are read through /teaching)', async () => {
      const routes = (id: string): [string, string, object?][] => [
        ['get', `/api/v1/cases/${id}`],
        ['get', `/api/v1/cases/${id}/fhir`],
        ['get', `/api/v1/cases/${id}/report.pdf`],
        ['get', `/api/v1/cases/${id}/follow-up-links`],
        ['post', `/api/v1/cases/${id}/follow-up-links`, {}],
        ['post', `/api/v1/cases/${id}/messages`, { body: 'Hello' }],
        ['post', `/api/v1/cases/${id}/opinions`, { diagnosis: PSORIASIS, confidence: 'high', management: 'x', disposition: 'reassure' }],
        ['post', `/api/v1/cases/${id}/release`],
        ['post', `/api/v1/cases/${id}/reroute`, { queue: 'general' }],
        ['post', `/api/v1/cases/${id}/close`],
        ['post', `/api/v1/cases/${id}/outcome`, { kind: 'clinical', diagnosis: PSORIASIS }],
        ['post', `/api/v1/cases/${id}/teaching`],
        ['delete', `/api/v1/cases/${id}/teaching`],
      ];
      for (const c of [outside, inside]) {
        for (const [method, path, body] of routes(c.id)) {
          const req = method === 'get' ? t.http.get(path) : method === 'delete' ? t.http.delete(path) : t.http.post(path).send(body ?? {});
          const res = await req.set(auth(trainee.token));
          expect(res.status, `${method.toUpperCase()} ${path}`).toBe(404);
        }
        const photos = await t.http.post(`/api/v1/cases/${c.id}/photos`).set(auth(trainee.token)).attach('photos', Buffer.from('not read'), 'a.jpg');
        expect(photos.status).toBe(404);
      }
      // Nothing changed on either case.
      for (const c of [outside, inside]) expect((await kit.read(r1.token, c.id)).body).toMatchObject({ status: 'answered', messages: [] });
    });

    it('reads the photos of a teaching case, in every size, and no others', async () => {
      for (const variant of [undefined, 'display', 'thumb'] as const) expect((await getPhotoBytes(t, trainee.token, inside.photoId, variant)).length).toBeGreaterThan(0);
      expect((await t.http.get(`/api/v1/photos/${outside.photoId}`).set(auth(trainee.token))).status).toBe(404);
      expect((await t.http.get(`/api/v1/photos/${outside.photoId}?variant=thumb`).set(auth(trainee.token))).status).toBe(404);
      // Taken out of the collection, its photos close too.
      await removeFromTeaching(r1.token, inside.id);
      expect((await t.http.get(`/api/v1/photos/${inside.photoId}`).set(auth(trainee.token))).status).toBe(404);
      await addToTeaching(r1.token, inside.id);
    });

    it('never gets lists of cases, queues, statistics, users or the audit (403), nor a queue to claim from (404)', async () => {
      for (const path of ['/api/v1/cases', '/api/v1/queues', '/api/v1/stats', '/api/v1/users', '/api/v1/audit', '/api/v1/sites', '/api/v1/webhooks']) {
        expect((await t.http.get(path).set(auth(trainee.token))).status, path).toBe(403);
      }
      expect((await t.http.post(`/api/v1/queues/${slug}/claim`).set(auth(trainee.token))).status).toBe(404);
      expect((await t.http.patch(`/api/v1/users/${trainee.id}`).set(auth(trainee.token)).send({ name: 'x' })).status).toBe(404);
    });

    it('gets 404 on /teaching/:id for a case outside the collection, and staff cannot use the trainee routes (403)', async () => {
      expect((await teachingCase(trainee.token, outside.id)).status).toBe(404);
      expect((await traineeOpinion(trainee.token, outside.id)).status).toBe(404);
      expect((await teachingCase(trainee.token, 'no-such-case')).status).toBe(404);
      for (const token of [r1.token, referrer.token, admin]) {
        expect((await t.http.get('/api/v1/teaching').set(auth(token))).status).toBe(403);
        expect((await t.http.get('/api/v1/me/learning').set(auth(token))).status).toBe(403);
      }
    });
  });

  describe('learning from a teaching case', () => {
    it('lists the collection, the case added last first, page by page, with no patient reference or referrer', async () => {
      const fresh = await startTestApp();
      try {
        const k = reviewKit(fresh);
        const q = await k.queue(1);
        const reviewer = (await k.reviewers(1, [q]))[0]!;
        const clinician = await fresh.createUser('clinician', { name: 'Dr Hidden Referrer' });
        const learner = await fresh.createUser('trainee');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const c = await k.openCase(clinician.token, { queue: q, patientRef: `SECRET-REF-${i}`, consent: TEACHING_CONSENT });
          await k.claim(reviewer.token, q);
          await k.opinion(reviewer.token, c.id, PSORIASIS);
          expect((await fresh.http.post(`/api/v1/cases/${c.id}/teaching`).set(auth(reviewer.token))).status).toBe(201);
          ids.push(c.id);
        }
        const first = await fresh.http.get('/api/v1/teaching?limit=2').set(auth(learner.token));
        expect(first.status).toBe(200);
        expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
        expect(first.body.items[0]).toMatchObject({ code: expect.stringMatching(/^T-[A-Z0-9]{6}$/), ageYears: 42, sex: 'female', bodySite: 'left forearm', photoCount: 1, opinionGiven: false, agrees: null });
        const second = await fresh.http.get(`/api/v1/teaching?limit=2&cursor=${first.body.nextCursor}`).set(auth(learner.token));
        expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
        expect(second.body.nextCursor).toBeNull();
        const text = JSON.stringify([first.body, second.body]);
        expect(text).not.toMatch(/SECRET-REF|Hidden Referrer/);
      } finally {
        await fresh.close();
      }
    });

    it('opens a teaching case blinded: clinical details and photos, nothing of the panel, the referrer, the patient reference or the discussion', async () => {
      const c = await answeredCase();
      await kit.message(r1.token, c.id, 'A note only staff should read');
      await addToTeaching(r1.token, c.id);
      const res = await teachingCase(trainee.token, c.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: c.id,
        ageYears: 42,
        sex: 'female',
        fitzpatrick: 3,
        bodySite: 'left forearm',
        durationDays: 30,
        history: expect.stringMatching(/Itchy scaly plaque/),
        question: expect.stringMatching(/Psoriasis or eczema/),
        photos: [expect.objectContaining({ id: expect.any(String), kind: 'overview' })],
        ownOpinion: null,
        panel: null,
      });
      const text = JSON.stringify(res.body);
      for (const hidden of [c.patientRef, 'Dr Referrer Ndlovu', referrer.id, r1.id, r2.id, 'A note only staff should read', 'Plaque psoriasis', 'consensus']) expect(text).not.toContain(hidden);
      expect(Object.keys(res.body)).not.toEqual(expect.arrayContaining(['referrer']));
      expect(await kit.auditActions(c.id)).toContain('teaching.read');
    });

    it('takes their opinion once and then shows the panel, the consensus, the outcome and whether they agreed, never another trainee', async () => {
      const c = await answeredCase();
      await addToTeaching(r2.token, c.id);
      expect((await t.http.post(`/api/v1/cases/${c.id}/outcome`).set(auth(referrer.token)).send({ kind: 'histology', diagnosis: PSORIASIS, notes: 'Punch biopsy' })).status).toBe(201);
      // Another trainee's opinion first: it must not show to this one.
      expect((await traineeOpinion(otherTrainee.token, c.id, ECZEMA)).status).toBe(201);
      expect((await teachingCase(trainee.token, c.id)).body.panel).toBeNull();

      const given = await traineeOpinion(trainee.token, c.id, { text: 'Psoriasis', code: 'L40.9', system: 'icd10' });
      expect(given.status).toBe(201);
      expect(given.body.ownOpinion).toMatchObject({ diagnosis: { text: 'Psoriasis', code: 'L40.9' }, differential: [ECZEMA], confidence: 'medium', disposition: 'treat-locally', agrees: true });
      expect(given.body.panel).toEqual({
        opinions: [expect.objectContaining({ diagnosis: PSORIASIS }), expect.objectContaining({ diagnosis: PSORIASIS_REWORDED })],
        consensus: PSORIASIS,
        agreement: 1,
        outcome: { kind: 'histology', diagnosis: PSORIASIS, notes: 'Punch biopsy', recordedAt: expect.any(String) },
      });
      const text = JSON.stringify(given.body);
      for (const hidden of [c.patientRef, 'Dr Referrer Ndlovu', referrer.id, r1.id, r2.id, otherTrainee.id]) expect(text).not.toContain(hidden);
      expect((await teachingCase(trainee.token, c.id)).body).toEqual(given.body);

      const twice = await traineeOpinion(trainee.token, c.id, ECZEMA);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('OPINION_EXISTS');
      expect((await teachingCase(trainee.token, c.id)).body.ownOpinion.diagnosis.code).toBe('L40.9');
      const listed = await t.http.get('/api/v1/teaching?limit=200').set(auth(trainee.token));
      expect(listed.body.items.find((i: { id: string }) => i.id === c.id)).toMatchObject({ opinionGiven: true, agrees: true });
      // A trainee's opinion is not the panel's: the staff's case is as it was.
      expect((await kit.read(r1.token, c.id)).body.opinions).toHaveLength(2);
    });

    it('refuses an opinion that breaks the schema (400) and keeps none', async () => {
      const c = await answeredCase();
      await addToTeaching(r1.token, c.id);
      const bad = await t.http.post(`/api/v1/teaching/${c.id}/opinion`).set(auth(trainee.token)).send({ diagnosis: PSORIASIS, confidence: 'certain', management: '', disposition: 'treat-locally' });
      expect(bad.status).toBe(400);
      expect((await teachingCase(trainee.token, c.id)).body.ownOpinion).toBeNull();
    });

    it('gives a trainee their agreement over time: opinions, agreed, rate and each month', async () => {
      const fresh = await startTestApp();
      try {
        const k = reviewKit(fresh);
        const q = await k.queue(1);
        const reviewer = (await k.reviewers(1, [q]))[0]!;
        const clinician = await fresh.createUser('clinician');
        const learner = await fresh.createUser('trainee');
        const learning = async () => (await fresh.http.get('/api/v1/me/learning').set(auth(learner.token))).body as unknown;
        expect(await learning()).toEqual({ opinions: 0, agreed: 0, rate: null, byMonth: [] });

        const teach = async () => {
          const c = await k.openCase(clinician.token, { queue: q, consent: TEACHING_CONSENT });
          await k.claim(reviewer.token, q);
          await k.opinion(reviewer.token, c.id, PSORIASIS);
          await fresh.http.post(`/api/v1/cases/${c.id}/teaching`).set(auth(reviewer.token));
          return c.id;
        };
        const give = (id: string, diagnosis: typeof PSORIASIS) =>
          fresh.http.post(`/api/v1/teaching/${id}/opinion`).set(auth(learner.token)).send({ diagnosis, confidence: 'low', management: 'Review', disposition: 'biopsy' });
        const month = (at: number) => new Date(at).toISOString().slice(0, 7);
        const earlier = [await teach(), await teach()];
        expect((await give(earlier[0]!, PSORIASIS_REWORDED)).status).toBe(201);
        expect((await give(earlier[1]!, ECZEMA)).status).toBe(201);
        expect((await give(await teach(), { text: 'psoriasis, plaque type', code: 'L40.0', system: 'icd10' })).status).toBe(201);
        // The first two were given 40 days before: another month, whatever today is.
        const fortyDays = 40 * 24 * 3600_000;
        for (const id of earlier) await fresh.sql.run('update trainee_opinions set created_at = created_at - ? where case_id = ?', fortyDays, id);
        const [firstMonth, secondMonth] = [month(fresh.clock.now() - fortyDays), month(fresh.clock.now())];

        expect(await learning()).toEqual({
          opinions: 3,
          agreed: 2,
          rate: 2 / 3,
          byMonth: [
            { month: firstMonth, opinions: 2, agreed: 1 },
            { month: secondMonth, opinions: 1, agreed: 1 },
          ],
        });
      } finally {
        await fresh.close();
      }
    });
  });
});
