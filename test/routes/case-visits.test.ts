// "New since your last visit" over real HTTP: each read of a case is the reader's visit, and the case body
// says when their previous one was, so that the page can mark what came since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth, reviewKit } from '../helpers/review-kit.js';

describe("a reader's last visit to a case", () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let referrer: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    referrer = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  const visitRows = (caseId: string) => t.sql.rows<{ user_id: string; visited_at: number }>('select user_id, visited_at from case_visits where case_id = ? order by user_id', caseId);

  it('gives null on the first read and then the time of the read before, per reader, one row each', async () => {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const created = await kit.openCase(referrer.token, { queue: slug });
    // Opening the case is not a visit: its answer says nothing of visits.
    expect(created).not.toHaveProperty('lastVisitAt');

    const first = await kit.read(referrer.token, created.id);
    expect(first.status).toBe(200);
    expect(first.body.lastVisitAt).toBeNull();
    const [row] = await visitRows(created.id);
    const firstAt = Number(row!.visited_at);

    t.clock.advance(3600_000);
    // Meanwhile a reviewer writes: newer than the referrer's last visit.
    expect((await kit.claim(reviewer!.token, slug)).status).toBe(200);
    const asked = await kit.message(reviewer!.token, created.id, 'Any itch?', true);
    expect(asked.status).toBe(201);
    const second = await kit.read(referrer.token, created.id);
    expect(second.body.lastVisitAt).toBe(new Date(firstAt).toISOString());
    expect(Date.parse(second.body.messages[0].createdAt)).toBeGreaterThan(Date.parse(second.body.lastVisitAt));
    expect(second.body.photos.every((p: { createdAt: string }) => Date.parse(p.createdAt) <= Date.parse(second.body.lastVisitAt))).toBe(true);

    t.clock.advance(60_000);
    const third = await kit.read(referrer.token, created.id);
    expect(Date.parse(third.body.lastVisitAt)).toBeGreaterThan(firstAt + 3600_000 - 1);
    expect(Date.parse(third.body.lastVisitAt)).toBeLessThan(t.clock.now() - 59_000);

    // The reviewer's visits are their own: their first read is a first visit.
    expect((await kit.read(reviewer!.token, created.id)).body.lastVisitAt).toBeNull();
    expect((await kit.read(reviewer!.token, created.id)).body.lastVisitAt).not.toBeNull();
    const rows = await visitRows(created.id);
    expect(rows.map((r) => r.user_id).sort()).toEqual([referrer.id, reviewer!.id].sort());
  });

  it("counts an admin's read as a visit too", async () => {
    const created = await kit.openCase(referrer.token, { queue: 'general' });
    const admin = await t.adminToken();
    expect((await kit.read(admin, created.id)).body.lastVisitAt).toBeNull();
    t.clock.advance(1000);
    const again = await kit.read(admin, created.id);
    expect(typeof again.body.lastVisitAt).toBe('string');
    expect(await visitRows(created.id)).toHaveLength(1);
  });

  it('records nothing for a reader who may not see the case (404), nor for an unknown case', async () => {
    const created = await kit.openCase(referrer.token, { queue: 'general' });
    const other = await t.createUser('clinician');
    const outsider = await t.createUser('reviewer', { queues: ['paediatric'] });
    for (const who of [other, outsider]) expect((await kit.read(who.token, created.id)).status).toBe(404);
    expect((await kit.read(referrer.token, 'no-such-case')).status).toBe(404);
    expect((await t.http.get(`/api/v1/cases/${created.id}`)).status).toBe(401);
    expect(await visitRows(created.id)).toEqual([]);
    expect(await t.sql.one('select count(*) as n from case_visits where case_id = ?', 'no-such-case')).toEqual({ n: 0 });
  });

  it('keeps one row under reads at the same moment, each answered', async () => {
    const created = await kit.openCase(referrer.token, { queue: 'general' });
    const reads = await Promise.all(Array.from({ length: 8 }, () => kit.read(referrer.token, created.id)));
    expect(reads.map((r) => r.status)).toEqual(Array(8).fill(200));
    // However they interleave, at least the first found no visit before it.
    expect(reads.some((r) => r.body.lastVisitAt === null)).toBe(true);
    expect(await visitRows(created.id)).toHaveLength(1);
  });

  it('documents lastVisitAt in the case schema', async () => {
    const doc = (await t.http.get('/docs/json').set(auth(referrer.token))).body;
    const schema = doc.paths['/api/v1/cases/{id}'].get.responses['200'].content['application/json'].schema;
    const properties = schema.properties ?? doc.components.schemas[schema.$ref?.split('/').pop()]?.properties;
    expect(properties.lastVisitAt.description).toMatch(/previous|before this read/);
  });
});
