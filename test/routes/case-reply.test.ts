// The referrer's reply to a request for information as one thing over real HTTP: photos and a message in one
// upload, committed together, and the case back in its queue once the whole reply is in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, whileStoreRefuses, fixturePath } from '../helpers/cases.js';
import { auth, reviewKit } from '../helpers/review-kit.js';

describe("the referrer's reply with photos", () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let referrer: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    referrer = await t.createUser('clinician', { name: 'Dr Reply Referrer' });
  });
  afterAll(async () => t.close());

  /** A case the reviewer has asked about: needs_info, nobody holding it. */
  async function askedCase() {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const created = await kit.openCase(referrer.token, { queue: slug });
    expect((await kit.claim(reviewer!.token, slug)).body.id).toBe(created.id);
    expect((await kit.message(reviewer!.token, created.id, 'Please send a close-up of the edge.', true)).body.caseStatus).toBe('needs_info');
    return { caseId: created.id, slug, reviewer: reviewer! };
  }

  function reply(token: string, caseId: string, files: string[], fields: Record<string, string> = {}) {
    let req = t.http.post(`/api/v1/cases/${caseId}/photos`).set(auth(token));
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    for (const file of files) req = req.attach('photos', fixturePath(file));
    return req;
  }

  it('commits the photos and the message as one reply, and sends the case back to its queue once', async () => {
    const { caseId, slug, reviewer } = await askedCase();
    const res = await reply(referrer.token, caseId, ['orient-2.jpg', 'orient-3.jpg'], { message: '  Close-up attached;\r\nthe edge is irregular.  ', kinds: '["closeup","closeup"]' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.photos).toHaveLength(2);
    expect(res.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['closeup', 'closeup']);
    expect(res.body.message).toMatchObject({ authorType: 'user', author: { id: referrer.id, name: 'Dr Reply Referrer' }, body: 'Close-up attached;\nthe edge is irregular.', requestInfo: false });
    expect(res.body.caseStatus).toBe('queued');

    const seen = (await kit.read(reviewer.token, caseId)).body;
    expect(seen.status).toBe('queued');
    expect(seen.messages.map((m: { body: string }) => m.body)).toEqual(['Please send a close-up of the edge.', 'Close-up attached;\nthe edge is irregular.']);
    expect(seen.messages[1]).toMatchObject({ id: res.body.message.id, authorType: 'user', author: { id: referrer.id } });
    // One status change, one timeline entry: not one for the photos and another for the message.
    expect(seen.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'needs_info', 'queued']);
    const audit = await t.http.get(`/api/v1/audit?caseId=${caseId}&limit=500`).set(auth(await t.adminToken()));
    const statusChanges = (audit.body.items as { action: string; detail: unknown }[]).filter((e) => e.action === 'case.status').map((e) => e.detail).reverse();
    expect(statusChanges).toEqual([
      { from: 'queued', to: 'in_review' },
      { from: 'in_review', to: 'needs_info' },
      { from: 'needs_info', to: 'queued' },
    ]);
    const actions = await kit.auditActions(caseId);
    expect(actions.filter((a) => a === 'case.message')).toHaveLength(2);
    expect(actions.filter((a) => a === 'case.photos_add')).toHaveLength(1);
    expect(JSON.stringify(await t.sql.rows('select detail from audit_events where case_id = ?', caseId))).not.toContain('irregular');
    expect(t.logs.join('\n')).not.toContain('irregular');
    // Photos and message share the reply's moment.
    const [row] = await t.sql.rows<{ created_at: number }>('select created_at from messages where id = ?', res.body.message.id);
    expect(seen.photos.filter((p: { createdAt: string }) => Date.parse(p.createdAt) === Number(row!.created_at))).toHaveLength(2);
    // The queue hands it out again.
    expect((await kit.claim(reviewer.token, slug)).body.id).toBe(caseId);
  });

  it('keeps the answer as before without a message, and a blank message is none', async () => {
    const { caseId } = await askedCase();
    const messages = await t.sql.count('messages');
    const res = await reply(referrer.token, caseId, ['orient-4.jpg'], { message: ' \t ' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('message');
    expect(res.body.caseStatus).toBe('queued');
    expect(await t.sql.count('messages')).toBe(messages);
    // Photos on a case nobody asked about change nothing but the photos.
    const again = await reply(referrer.token, caseId, ['orient-5.jpg'], { message: 'One more, in daylight.' });
    expect(again.body.caseStatus).toBe('queued');
    expect((await kit.read(referrer.token, caseId)).body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'needs_info', 'queued']);
  });

  it('answers 404 to anyone but the referrer, message or not, and stores nothing', async () => {
    const { caseId, reviewer } = await askedCase();
    const other = await t.createUser('clinician');
    const admin = { token: await t.adminToken() };
    const messages = await t.sql.count('messages');
    const photos = await countRows(t, 'photos');
    for (const who of [other, reviewer, admin]) {
      const res = await reply(who.token, caseId, ['orient-1.jpg'], { message: 'Not mine to send.' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await reply(referrer.token, 'no-such-case', ['orient-1.jpg'], { message: 'Nowhere.' })).status).toBe(404);
    expect(await t.sql.count('messages')).toBe(messages);
    expect(await countRows(t, 'photos')).toBe(photos);
    expect((await kit.caseRow(caseId)).status).toBe('needs_info');
  });

  it('refuses a message that is too long or holds control characters, a message alone, and unknown fields; the case still waits', async () => {
    const { caseId } = await askedCase();
    const messages = await t.sql.count('messages');
    const photos = await countRows(t, 'photos');
    const cases: [Record<string, string>, string[], number, string][] = [
      [{ message: 'x'.repeat(5001) }, ['orient-1.jpg'], 400, 'message is too long: at most 5000 characters'],
      [{ message: 'Edge\u0000 irregular' }, ['orient-1.jpg'], 400, 'message must not hold control characters'],
      [{ message: 'Edge \u001b[31mred' }, ['orient-1.jpg'], 400, 'control characters'],
      [{ message: 'x'.repeat(70 * 1024) }, ['orient-1.jpg'], 413, 'message'],
      [{ message: 'Words without photos go to /messages.' }, [], 400, 'at least one photo'],
      [{ note: 'Not a field of this form.' }, ['orient-1.jpg'], 400, 'Unexpected field "note"'],
      [{ message: 'With a broken photo.' }, ['orient-1.jpg', 'truncated.jpg'], 422, ''],
    ];
    for (const [fields, files, status, words] of cases) {
      const res = await reply(referrer.token, caseId, files, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
      expect(res.body.message).toContain(words);
    }
    expect(await t.sql.count('messages')).toBe(messages);
    expect(await countRows(t, 'photos')).toBe(photos);
    expect((await kit.caseRow(caseId)).status).toBe('needs_info');
  });

  it('leaves no message and no status change when storing the photos fails', async () => {
    const { caseId } = await askedCase();
    const messages = await t.sql.count('messages');
    // The object store goes away for this one upload.
    const res = await whileStoreRefuses(t, () => reply(referrer.token, caseId, ['orient-1.jpg'], { message: 'This reply must arrive whole or not at all.' }));
    expect(res.status).toBe(503);
    expect(await t.sql.count('messages')).toBe(messages);
    expect((await kit.caseRow(caseId)).status).toBe('needs_info');
    expect((await kit.read(referrer.token, caseId)).body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'needs_info']);
  });

  it('refuses a reply to a closed case, photos and message alike', async () => {
    const { caseId } = await askedCase();
    expect((await t.http.post(`/api/v1/cases/${caseId}/close`).set(auth(referrer.token))).status).toBe(200);
    const messages = await t.sql.count('messages');
    const res = await reply(referrer.token, caseId, ['orient-1.jpg'], { message: 'Too late.' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CASE_CLOSED');
    expect(await t.sql.count('messages')).toBe(messages);
  });

  it('documents the message field and the answer in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs/json')).body;
    const op = doc.paths['/api/v1/cases/{id}/photos'].post;
    expect(Object.keys(op.requestBody.content['multipart/form-data'].schema.properties)).toEqual(expect.arrayContaining(['photos', 'kinds', 'message']));
    expect(op.responses['201'].content['application/json'].schema.properties).toHaveProperty('caseStatus');
    expect(op.responses['201'].content['application/json'].schema.properties).toHaveProperty('message');
    const followUp = doc.paths['/f/{token}/photos'].post;
    expect(Object.keys(followUp.requestBody.content['multipart/form-data'].schema.properties)).toEqual(expect.arrayContaining(['photos', 'note']));
  });
});
