// The first run and account basics: the one-time set-up address from the log, changing one's own
// password, and reset links an admin issues. Tokens are one-time: a used, wrong or expired one is 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const STRONG = 'correct horse battery staple 7';

/** The set-up address the service printed, in plain words, in its log. */
function setupAddress(t: TestApp): URL {
  const line = t.logs.find((l) => l.includes('No admin account exists yet'));
  expect(line, 'the log says that no admin exists').toBeDefined();
  const url = /(https?:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(JSON.parse(line!).msg as string)?.[1];
  expect(url).toBeDefined();
  return new URL(url!);
}

describe('first run without ADMIN_EMAIL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
  });
  afterAll(async () => t.close());

  it('prints a one-time set-up address, serves its page, and refuses a wrong token with 404', async () => {
    const address = setupAddress(t);
    expect(address.pathname).toBe('/setup');
    const page = await t.http.get(`/setup${address.search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Create the first admin');
    expect((await t.http.get('/setup?token=not-the-token')).status).toBe(404);
    expect((await t.http.get('/setup')).status).toBe(404);
    const wrong = await t.http.post('/api/v1/setup').send({ token: 'not-the-token', email: 'a@clinic.test', name: 'A', password: STRONG });
    expect(wrong.status).toBe(404);
    // Nobody can sign in yet.
    expect((await t.http.post('/api/v1/auth/login').send(ADMIN)).status).toBe(401);
  });

  it('refuses a weak password with the rule in plain words, creating nothing', async () => {
    const token = setupAddress(t).searchParams.get('token')!;
    const weak = await t.http.post('/api/v1/setup').send({ token, email: 'first@clinic.test', name: 'First', password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect(weak.body.message).toMatch(/common|guess/i);
    expect(await t.sql.count('users')).toBe(0);
  });

  it('creates exactly one admin from two set-up requests at once; then the address and the page are 404', async () => {
    const token = setupAddress(t).searchParams.get('token')!;
    const [one, two] = await Promise.all([
      t.http.post('/api/v1/setup').send({ token, email: 'first@clinic.test', name: 'First Admin', password: STRONG }),
      t.http.post('/api/v1/setup').send({ token, email: 'second@clinic.test', name: 'Second Admin', password: STRONG }),
    ]);
    expect([one.status, two.status].sort()).toEqual([201, 404]);
    const created = one.status === 201 ? one : two;
    expect(created.body).toMatchObject({ role: 'admin', disabled: false });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await t.sql.rows("select email from users where role = 'admin'")).length).toBe(1);
    expect((await t.http.get(`/setup?token=${token}`)).status).toBe(404);
    expect((await t.http.post('/api/v1/setup').send({ token, email: 'third@clinic.test', name: 'Third', password: STRONG })).status).toBe(404);
    const login = await t.http.post('/api/v1/auth/login').send({ email: created.body.email, password: STRONG });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');
  });
});

describe('accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('prints no set-up address when ADMIN_EMAIL made the admin', () => {
    expect(t.logs.join('')).not.toContain('/setup?token=');
  });

  it('changes one\'s own password: the current one is checked, the rule applies, other sessions end', async () => {
    const user = await t.createUser('clinician');
    const elsewhere = await t.login(user.email, user.password);
    const wrong = await t.http.post('/api/v1/me/password').set(auth(user.token)).send({ currentPassword: 'not my password at all', newPassword: STRONG });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    const weak = await t.http.post('/api/v1/me/password').set(auth(user.token)).send({ currentPassword: user.password, newPassword: 'aaaaaaaaaaaaaaaa' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');

    expect((await t.http.post('/api/v1/me/password').set(auth(user.token)).send({ currentPassword: user.password, newPassword: STRONG })).status).toBe(204);
    expect((await t.http.get('/api/v1/me').set(auth(user.token))).status).toBe(200);
    expect((await t.http.get('/api/v1/me').set(auth(elsewhere))).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password })).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login').send({ email: user.email, password: STRONG })).status).toBe(200);
    expect((await t.http.post('/api/v1/me/password').send({ currentPassword: STRONG, newPassword: STRONG })).status).toBe(401);
  });

  it('resets a password with a one-time link an admin issued: every session ends, the link works once', async () => {
    const admin = await t.adminToken();
    const user = await t.createUser('reviewer');
    const issued = await t.http.post(`/api/v1/users/${user.id}/password-reset`).set(auth(admin));
    expect(issued.status).toBe(201);
    const link = new URL(issued.body.url as string);
    expect(link.pathname).toBe('/reset');
    expect(Date.parse(issued.body.expiresAt as string) - t.clock.now()).toBeGreaterThan(23 * 3_600_000);
    const token = link.searchParams.get('token')!;
    expect(t.logs.join('')).not.toContain(token);

    const page = await t.http.get(`/reset?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Set a new password');
    // In the browser's language, or the one asked for, the script's words with it.
    const chinese = await t.http.get(`/reset?token=${token}`).set('accept-language', 'zh-CN,zh;q=0.9,en;q=0.5');
    expect(chinese.text).toMatch(/<html lang="zh-CN">[\s\S]*设置新密码[\s\S]*data-msg-mismatch="两次输入的密码不一致。"/);
    expect(chinese.headers['content-language']).toBe('zh-CN');
    const french = await t.http.get(`/reset?token=${token}&lang=fr`).set('accept-language', 'es');
    expect(french.text).toContain('<html lang="fr">');
    expect(french.text).toContain('Choisir un nouveau mot de passe');
    expect(french.text).not.toContain('Set a new password');
    expect((await t.http.get(`/reset?token=${token}&lang=xx`).set('accept-language', 'es-MX')).text).toContain('Establecer una nueva contraseña');
    expect((await t.http.post('/api/v1/auth/reset').send({ token, password: 'qwertyuiopasdf' })).body.code).toBe('WEAK_PASSWORD');
    expect((await t.http.post('/api/v1/auth/reset').send({ token, password: STRONG })).status).toBe(204);
    expect((await t.http.get('/api/v1/me').set(auth(user.token))).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login').send({ email: user.email, password: STRONG })).status).toBe(200);

    // Used: the link and its page are gone.
    expect((await t.http.post('/api/v1/auth/reset').send({ token, password: `${STRONG} again` })).status).toBe(404);
    expect((await t.http.get(`/reset?token=${token}`)).status).toBe(404);
  });

  it('lets an admin change a user\'s name, email and site, and refuses an email already taken', async () => {
    const admin = await t.adminToken();
    const user = await t.createUser('clinician');
    const other = await t.createUser('clinician');
    const site = await t.http.post('/api/v1/sites').set(auth(admin)).send({ name: 'Hill Clinic', tier: 'primary' });
    expect(site.status).toBe(201);
    const changed = await t.http.patch(`/api/v1/users/${user.id}`).set(auth(admin)).send({ name: 'Dr New Name', email: 'New.Address@Clinic.test', siteId: site.body.id });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Dr New Name', email: 'new.address@clinic.test', siteId: site.body.id });
    expect((await t.http.post('/api/v1/auth/login').send({ email: 'new.address@clinic.test', password: user.password })).status).toBe(200);
    const taken = await t.http.patch(`/api/v1/users/${user.id}`).set(auth(admin)).send({ email: other.email });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
  });
  it('refuses an expired reset link, and lets only admins issue one', async () => {
    const admin = await t.adminToken();
    const user = await t.createUser('clinician');
    const issued = await t.http.post(`/api/v1/users/${user.id}/password-reset`).set(auth(admin));
    const token = new URL(issued.body.url as string).searchParams.get('token')!;
    const clinician = await t.createUser('clinician');
    expect((await t.http.post(`/api/v1/users/${user.id}/password-reset`).set(auth(clinician.token))).status).toBe(403);
    expect((await t.http.post('/api/v1/users/no-such-user-id/password-reset').set(auth(admin))).status).toBe(404);
    // Last in this file: a day later every session has expired too.
    t.clock.advance(24 * 3_600_000 + 1000);
    expect((await t.http.get(`/reset?token=${token}`)).status).toBe(404);
    expect((await t.http.post('/api/v1/auth/reset').send({ token, password: STRONG })).status).toBe(404);
  });
});
