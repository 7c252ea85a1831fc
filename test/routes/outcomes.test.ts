// The referrer's confirmed outcome (POST /cases/:id/outcome, `outcome` on the case and in FHIR) and the
// concordance figures measured against it: per queue in GET /stats, a reviewer's own in GET /me/concordance,
// everyone's in GET /stats/reviewers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, ECZEMA, PSORIASIS, reviewKit, type Diagnosis } from '../helpers/review-kit.js';

const BIOPSY = { kind: 'histology', diagnosis: { text: 'Psoriasis vulgaris, biopsy-proven', code: 'L40.0', system: 'icd10' }, notes: 'Punch biopsy, 4 mm.' };

describe('outcomes', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let admin: string;
  let slug: string;
  let referrer: { id: string; token: string; email: string };
  let panel: { id: string; token: string }[];

  /** A case of `queue` answered by the first two of `reviewers`, each with their diagnosis. */
  async function answeredCase(queue: string, opinions: [{ token: string }, Diagnosis][], by = referrer): Promise<string> {
    const c = await kit.openCase(by.token, { queue });
    for (const [reviewer] of opinions) expect((await kit.claim(reviewer.token, queue)).body.id).toBe(c.id);
    for (const [reviewer, diagnosis] of opinions) expect((await kit.opinion(reviewer.token, c.id, diagnosis)).status).toBe(201);
    expect((await kit.read(by.token, c.id)).body.status).toBe('answered');
    return c.id;
  }

  const record = (token: string, caseId: string, body: unknown = BIOPSY) => t.http.post(`/api/v1/cases/${caseId}/outcome`).set(auth(token)).send(body as object);

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    admin = await t.adminToken();
    slug = await kit.queue(2);
    panel = await kit.reviewers(3, [slug]);
    referrer = await t.createUser('clinician', { name: 'Dr Referrer' });
  });
  afterAll(async () => t.close());

  it('records the referrer’s outcome once the case is answered (201), shows it on the case, audits it and tells live pages', async () => {
    const c = await kit.openCase(referrer.token, { queue: slug });
    const early = await record(referrer.token, c.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CASE_NOT_ANSWERED');
    expect(early.body.message).toBe('An outcome can be recorded once the case is answered or closed');

    for (const r of panel.slice(0, 2)) expect((await kit.claim(r.token, slug)).body.id).toBe(c.id);
    for (const r of panel.slice(0, 2)) expect((await kit.opinion(r.token, c.id, PSORIASIS)).status).toBe(201);
    const before = (await kit.read(referrer.token, c.id)).body;
    expect(before.outcome).toBeNull();

    t.clock.advance(60_000);
    const res = await record(referrer.token, c.id, { ...BIOPSY, notes: '  Punch biopsy, 4 mm.\r\n' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...BIOPSY, recordedAt: expect.any(String), recordedBy: { id: referrer.id, name: 'Dr Referrer' } });
    const after = (await kit.read(referrer.token, c.id)).body;
    expect(after.outcome).toEqual(res.body);
    expect(after.status).toBe('answered');
    // The case changed: a page that has it open draws it again.
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));

    expect(await kit.auditActions(c.id)).toContain('case.outcome');
    const [event] = await t.sql.rows<{ type: string; data: unknown }>('select type, data from outbox_events where case_id = ? order by seq desc', c.id);
    const data = typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data;
    expect(event!.type).toBe('case.updated');
    // Ids and statuses only: the diagnosis and notes never go to webhooks.
    expect(data).toEqual({ status: 'answered', previousStatus: 'answered', outcomeRecorded: true });
  });

  it('replaces the outcome when recorded again (200), on a closed case too, keeping one outcome per case', async () => {
    const id = await answeredCase(slug, [[panel[0]!, PSORIASIS], [panel[1]!, PSORIASIS]]);
    expect((await record(referrer.token, id)).status).toBe(201);
    expect((await t.http.post(`/api/v1/cases/${id}/close`).set(auth(referrer.token))).status).toBe(200);
    const course = { kind: 'clinical', diagnosis: { text: 'Nummular eczema', code: 'L30.0' } };
    const again = await record(referrer.token, id, course);
    expect(again.status).toBe(200);
    // A code without a system is an ICD-10 code; no notes, none kept.
    expect(again.body).toMatchObject({ kind: 'clinical', diagnosis: { text: 'Nummular eczema', code: 'L30.0', system: 'icd10' }, notes: null });
    expect((await kit.read(referrer.token, id)).body.outcome).toEqual(again.body);
    expect(await t.sql.rows('select case_id from case_outcomes where case_id = ?', id)).toHaveLength(1);
  });

  it('answers 404 to everyone but the referrer: another clinician, a reviewer of another queue, the case’s own reviewers and admins', async () => {
    const id = await answeredCase(slug, [[panel[0]!, PSORIASIS], [panel[1]!, PSORIASIS]]);
    const otherClinician = await t.createUser('clinician');
    const [elsewhere] = await kit.reviewers(1, [await kit.queue(2)]);
    for (const token of [otherClinician.token, elsewhere!.token, panel[0]!.token, panel[2]!.token, admin]) {
      const res = await record(token, id);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await record(referrer.token, 'no-such-case-0123456789')).status).toBe(404);
    expect((await t.http.post(`/api/v1/cases/${id}/outcome`).send(BIOPSY)).status).toBe(401);
    expect(await t.sql.rows('select case_id from case_outcomes where case_id = ?', id)).toHaveLength(0);
  });

  it('shows the outcome to those who may see the answer: not to a reviewer of the queue who has not given an opinion', async () => {
    const id = await answeredCase(slug, [[panel[0]!, PSORIASIS], [panel[1]!, PSORIASIS]]);
    const recorded = (await record(referrer.token, id)).body;
    expect((await kit.read(panel[0]!.token, id)).body.outcome).toEqual(recorded);
    expect((await kit.read(admin, id)).body.outcome).toEqual(recorded);
    const blinded = (await kit.read(panel[2]!.token, id)).body;
    expect(blinded.consensus).toBeNull();
    expect(blinded.outcome).toBeNull();
    expect(JSON.stringify(blinded)).not.toContain('biopsy-proven');
  });

  it('puts the outcome in the FHIR Bundle as a confirmed Condition, for those who may see it only', async () => {
    const id = await answeredCase(slug, [[panel[0]!, PSORIASIS], [panel[1]!, PSORIASIS]]);
    expect((await record(referrer.token, id)).status).toBe(201);
    const conditions = async (token: string) => {
      const res = await t.http.get(`/api/v1/cases/${id}/fhir`).set(auth(token));
      expect(res.status).toBe(200);
      return (JSON.parse(res.text).entry as { resource: Record<string, any> }[]).map((e) => e.resource).filter((r) => r.resourceType === 'Condition');
    };
    const [condition] = await conditions(referrer.token);
    expect(condition).toMatchObject({
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      code: { text: BIOPSY.diagnosis.text, coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'L40.0' }] },
      evidence: [{ code: [{ text: 'Histology (biopsy)' }] }],
      note: [{ text: BIOPSY.notes }],
    });
    expect(await conditions(panel[2]!.token)).toEqual([]);
  });

  it('refuses a malformed outcome with 400 and records nothing', async () => {
    const id = await answeredCase(slug, [[panel[0]!, PSORIASIS], [panel[1]!, PSORIASIS]]);
    const bad: unknown[] = [
      { ...BIOPSY, kind: 'biopsy' },
      { kind: 'histology' },
      { ...BIOPSY, diagnosis: { text: '   ' } },
      { ...BIOPSY, diagnosis: { text: 'Psoriasis', code: 'L40.0; drop' } },
      { ...BIOPSY, diagnosis: { text: 'Psoriasis', system: 'loinc', code: 'L40.0' } },
      { ...BIOPSY, diagnosis: { text: 'x'.repeat(301) } },
      { ...BIOPSY, notes: 'Biopsy\u0007' },
      { ...BIOPSY, notes: 'n'.repeat(5001) },
      { ...BIOPSY, recordedBy: 'someone-else' },
    ];
    for (const body of bad) {
      const res = await record(referrer.token, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    expect(await t.sql.rows('select case_id from case_outcomes where case_id = ?', id)).toHaveLength(0);
  });

  describe('concordance', () => {
    let queue: string;
    let quiet: string;
    let a: { id: string; token: string };
    let b: { id: string; token: string };
    let c: { id: string; token: string };
    let idle: { id: string; token: string };

    beforeAll(async () => {
      queue = await kit.queue(2);
      quiet = await kit.queue(2);
      // Named so that the admin's list, by name, has a known order.
      a = await t.createUser('reviewer', { queues: [queue], name: 'Concordance A' });
      b = await t.createUser('reviewer', { queues: [queue], name: 'Concordance B' });
      c = await t.createUser('reviewer', { queues: [queue], name: 'Concordance C' });
      idle = await t.createUser('reviewer', { queues: [queue], name: 'Concordance D' });
      const outcome = (id: string, diagnosis: Diagnosis) => record(referrer.token, id, { kind: 'histology', diagnosis }).expect(201);

      // Agree by ICD-10 category: L40.0 answered, L40.1 confirmed.
      await outcome(await answeredCase(queue, [[a, PSORIASIS], [b, PSORIASIS]]), { text: 'Generalized pustular psoriasis', code: 'L40.1', system: 'icd10' });
      // Agree by words, neither coded.
      await outcome(await answeredCase(queue, [[a, { text: 'Lichen planus' }], [b, { text: 'lichen  planus.' }]]), { text: 'Lichen Planus' });
      // The panel said eczema (2 to 1 after a dispute); the biopsy proved the dissenter right.
      const disputed = await kit.openCase(referrer.token, { queue });
      for (const r of [a, c]) expect((await kit.claim(r.token, queue)).body.id).toBe(disputed.id);
      expect((await kit.opinion(a.token, disputed.id, ECZEMA)).status).toBe(201);
      expect((await kit.opinion(c.token, disputed.id, PSORIASIS)).status).toBe(201);
      expect((await kit.claim(b.token, queue)).body.id).toBe(disputed.id);
      expect((await kit.opinion(b.token, disputed.id, ECZEMA)).status).toBe(201);
      await outcome(disputed.id, { text: 'Psoriasis, unspecified', code: 'L40.9', system: 'icd10' });
      // Answered without an outcome: counted nowhere.
      await answeredCase(queue, [[a, PSORIASIS], [b, PSORIASIS]]);
    });

    it('gives each queue concordanceRate, the consensus against the outcome, over the cases with both (null when none)', async () => {
      const res = await t.http.get('/api/v1/stats').set(auth(admin));
      expect(res.status).toBe(200);
      const byQueue = new Map((res.body.queues as { slug: string; withOutcome: number; concordanceRate: number | null }[]).map((q) => [q.slug, q]));
      expect(byQueue.get(queue)).toMatchObject({ answered: 4, withOutcome: 3 });
      expect(byQueue.get(queue)!.concordanceRate).toBeCloseTo(2 / 3, 10);
      expect(byQueue.get(quiet)).toMatchObject({ withOutcome: 0, concordanceRate: null });
      // Outside the period, nothing.
      const old = await t.http.get('/api/v1/stats?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z').set(auth(admin));
      expect(old.body.queues.find((q: { slug: string }) => q.slug === queue)).toMatchObject({ withOutcome: 0, concordanceRate: null });
    });

    it('gives a reviewer their own figures: each of their opinions against the outcome', async () => {
      const mine = async (token: string) => {
        const res = await t.http.get('/api/v1/me/concordance').set(auth(token));
        expect(res.status).toBe(200);
        return res.body as unknown;
      };
      expect(await mine(a.token)).toEqual({ opinions: 4, withOutcome: 3, concordant: 2, rate: 2 / 3 });
      expect(await mine(c.token)).toEqual({ opinions: 1, withOutcome: 1, concordant: 1, rate: 1 });
      expect(await mine(idle.token)).toEqual({ opinions: 0, withOutcome: 0, concordant: 0, rate: null });
      for (const token of [referrer.token, admin]) expect((await t.http.get('/api/v1/me/concordance').set(auth(token))).status).toBe(403);
      expect((await t.http.get('/api/v1/me/concordance')).status).toBe(401);
    });

    it("gives an admin every reviewer's figures, by name, and refuses reviewers (403)", async () => {
      const res = await t.http.get('/api/v1/stats/reviewers').set(auth(admin));
      expect(res.status).toBe(200);
      const ours = (res.body.items as { reviewer: { id: string } }[]).filter((i) => [a.id, b.id, c.id, idle.id].includes(i.reviewer.id));
      expect(ours).toEqual([
        { reviewer: { id: a.id, name: 'Concordance A' }, opinions: 4, withOutcome: 3, concordant: 2, rate: 2 / 3 },
        { reviewer: { id: b.id, name: 'Concordance B' }, opinions: 4, withOutcome: 3, concordant: 2, rate: 2 / 3 },
        { reviewer: { id: c.id, name: 'Concordance C' }, opinions: 1, withOutcome: 1, concordant: 1, rate: 1 },
        { reviewer: { id: idle.id, name: 'Concordance D' }, opinions: 0, withOutcome: 0, concordant: 0, rate: null },
      ]);
      // Clinicians are not listed.
      expect((res.body.items as { reviewer: { id: string } }[]).some((i) => i.reviewer.id === referrer.id)).toBe(false);
      for (const token of [a.token, referrer.token]) expect((await t.http.get('/api/v1/stats/reviewers').set(auth(token))).status).toBe(403);
    });
  });
});
