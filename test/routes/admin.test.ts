import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';

describe('users, sites, queues and the audit trail', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterAll(async () => t.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('creates sites and users with queues, and never returns a password hash', async () => {
    const site = await t.http.post('/api/v1/sites').set(auth(admin)).send({ name: 'Township clinic 7', tier: 'primary' });
    expect(site.status).toBe(201);
    expect(site.body).toMatchObject({ name: 'Township clinic 7', tier: 'primary' });
    const created = await t.http
      .post('/api/v1/users')
      .set(auth(admin))
      .send({ email: 'Derm.One@Hospital.test', name: 'Dr One', role: 'reviewer', password: 'a-long-password-1', siteId: site.body.id, queues: ['general', 'paediatric'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'derm.one@hospital.test', role: 'reviewer', siteId: site.body.id, queues: ['general', 'paediatric'], disabled: false });
    const list = await t.http.get('/api/v1/users').set(auth(admin));
    expect(list.status).toBe(200);
    const text = JSON.stringify([created.body, list.body]);
    expect(text).not.toMatch(/argon2|passwordHash|password/i);
    expect((await t.http.get('/api/v1/sites').set(auth(admin))).body.map((s: { id: string }) => s.id)).toContain(site.body.id);
  });

  it('refuses a duplicate email with 409 and unknown queues or sites with 400 naming the field', async () => {
    const dup = await t.http.post('/api/v1/users').set(auth(admin)).send({ email: ADMIN.email, name: 'x', role: 'clinician', password: 'a-long-password-1' });
    expect(dup.status).toBe(409);
    const badQueue = await t.http.post('/api/v1/users').set(auth(admin)).send({ email: 'q@x.test', name: 'x', role: 'reviewer', password: 'a-long-password-1', queues: ['no-such-queue'] });
    expect(badQueue.status).toBe(400);
    expect(badQueue.body.message).toContain('queues');
    const badSite = await t.http.post('/api/v1/users').set(auth(admin)).send({ email: 's@x.test', name: 'x', role: 'clinician', password: 'a-long-password-1', siteId: 'nosuchsite' });
    expect(badSite.status).toBe(400);
    expect(badSite.body.message).toContain('siteId');
  });

  it.each([
    [{ name: 'x', role: 'clinician', password: 'a-long-password-1' }, 'email'],
    [{ email: 'not-an-email', name: 'x', role: 'clinician', password: 'a-long-password-1' }, 'email'],
    [{ email: 'a@b.test', name: 'x', role: 'superuser', password: 'a-long-password-1' }, 'role'],
    [{ email: 'a@b.test', name: 'x', role: 'clinician', password: 'short' }, 'password'],
    [{ email: 'a@b.test', name: 'x', role: 'clinician', password: 'a-long-password-1', isAdmin: true }, 'additional'],
  ])('answers a malformed user body %o with 400 naming %s', async (body, field) => {
    const res = await t.http.post('/api/v1/users').set(auth(admin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.message).toContain(field);
  });

  it('gives clinicians and reviewers 403 on user, site and audit administration', async () => {
    const clinician = await t.createUser('clinician');
    const reviewer = await t.createUser('reviewer', { queues: ['general'] });
    for (const token of [clinician.token, reviewer.token]) {
      expect((await t.http.get('/api/v1/users').set(auth(token))).status).toBe(403);
      expect((await t.http.post('/api/v1/users').set(auth(token)).send({ email: 'e@x.test', name: 'x', role: 'admin', password: 'a-long-password-1' })).status).toBe(403);
      expect((await t.http.patch(`/api/v1/users/${clinician.id}`).set(auth(token)).send({ role: 'admin' })).status).toBe(403);
      expect((await t.http.post('/api/v1/sites').set(auth(token)).send({ name: 'x', tier: 'primary' })).status).toBe(403);
      expect((await t.http.get('/api/v1/audit').set(auth(token))).status).toBe(403);
      expect((await t.http.post('/api/v1/queues').set(auth(token)).send({ slug: 'x-queue', name: 'X' })).status).toBe(403);
    }
    const forbidden = await t.http.get('/api/v1/users').set(auth(clinician.token));
    expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it('changes role and queues, and keeps at least one active admin', async () => {
    const user = await t.createUser('clinician');
    const res = await t.http.patch(`/api/v1/users/${user.id}`).set(auth(admin)).send({ role: 'reviewer', queues: ['inflammatory'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'reviewer', queues: ['inflammatory'] });
    // The role changed: old tokens stop working.
    expect((await t.http.get('/api/v1/me').set(auth(user.token))).status).toBe(401);
    const me = await t.http.get('/api/v1/me').set(auth(admin));
    const last = await t.http.patch(`/api/v1/users/${me.body.id}`).set(auth(admin)).send({ disabled: true });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_ADMIN');
    expect((await t.http.patch('/api/v1/users/unknownid').set(auth(admin)).send({ disabled: true })).status).toBe(404);
    expect((await t.http.patch(`/api/v1/users/${user.id}`).set(auth(admin)).send({})).status).toBe(400);
  });

  it('lists the six seeded queues for any user and lets an admin add one', async () => {
    const clinician = await t.createUser('clinician');
    const res = await t.http.get('/api/v1/queues').set(auth(clinician.token));
    expect(res.status).toBe(200);
    expect(res.body.map((q: { slug: string }) => q.slug).sort()).toEqual(['general', 'infections-sti', 'inflammatory', 'paediatric', 'pigmented-lesions', 'wounds-postop']);
    for (const q of res.body) expect(q).toMatchObject({ quorum: 2, open: 0, oldestWaitingMinutes: null });
    const created = await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: 'hair-nails', name: 'Hair and nails', quorum: 3 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'hair-nails', quorum: 3 });
    expect((await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: 'hair-nails', name: 'Again' })).status).toBe(409);
    expect((await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: 'Bad Slug', name: 'x' })).status).toBe(400);
  });

  it('writes audit events for logins, failed logins and user changes, filterable by actor', async () => {
    const user = await t.createUser('clinician');
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'wrong-password-here' });
    const res = await t.http.get('/api/v1/audit?limit=500').set(auth(admin));
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.create', 'user.update', 'site.create']));
    const created = res.body.items.find((e: { action: string; targetId: string }) => e.action === 'user.create' && e.targetId === user.id);
    expect(created.requestId).toBeTruthy();
    expect(created.ip).toBeTruthy();
    const me = await t.http.get('/api/v1/me').set(auth(admin));
    const mine = await t.http.get(`/api/v1/audit?actor=${me.body.id}&limit=2`).set(auth(admin));
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.items.every((e: { actorId: string }) => e.actorId === me.body.id)).toBe(true);
    const next = await t.http.get(`/api/v1/audit?actor=${me.body.id}&limit=2&cursor=${mine.body.nextCursor}`).set(auth(admin));
    expect(next.body.items[0].id).not.toBe(mine.body.items[0].id);
  });

  it('refuses to change or delete an audit event, even from SQL', async () => {
    await expect(t.sql.run('UPDATE audit_events SET action = ?', 'x')).rejects.toThrow(/append-only/);
    await expect(t.sql.run('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  });

  it('never writes a password, a token or a hash into the logs', async () => {
    const token = await t.login(ADMIN.email, ADMIN.password);
    await t.http.get('/api/v1/me').set(auth(token));
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(ADMIN.password);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain('a-long-password-1');
    expect(logs).not.toMatch(/\$argon2/);
    expect(logs).not.toMatch(/Bearer /);
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const res = await t.http.get('/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/queues', '/api/v1/audit', '/readyz']));
    expect(res.body.paths['/api/v1/users'].post.requestBody).toBeTruthy();
    expect((await t.http.get('/docs')).status).toBe(200);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await t.http.get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
