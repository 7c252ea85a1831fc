import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';

describe('accounts and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('signs the bootstrap admin in and returns a token, its expiry and the user', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(res.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${res.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin', disabled: false });
  });

  it('answers unknown email and wrong password with the same 401', async () => {
    const unknown = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@clinic.test', password: 'whatever-password' });
    const wrong = await t.http.post('/api/v1/auth/login').send({ email: ADMIN.email, password: 'not-the-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.code).toBe('UNAUTHORIZED');
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(Object.keys(unknown.body).sort()).toEqual(['code', 'error', 'message', 'requestId', 'statusCode']);
  });

  it('refuses requests without a token, with a malformed one, or with an unknown one', async () => {
    expect((await t.http.get('/api/v1/me')).status).toBe(401);
    expect((await t.http.get('/api/v1/me').set('authorization', 'Basic abc')).status).toBe(401);
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${'x'.repeat(43)}`)).status).toBe(401);
  });

  it('ends the session on logout: the token stops working', async () => {
    const token = await t.login(ADMIN.email, ADMIN.password);
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
    const out = await t.http.post('/api/v1/auth/logout').set('authorization', `Bearer ${token}`);
    expect(out.status).toBe(204);
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('names the field of a malformed login body in a 400', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: ADMIN.email });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.message).toContain('password');
    const notJson = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.requestId).toBeTruthy();
  });

  it('stops a disabled user at once, and their token with them', async () => {
    const reviewer = await t.createUser('reviewer', { queues: ['general'] });
    const admin = await t.adminToken();
    const res = await t.http.patch(`/api/v1/users/${reviewer.id}`).set('authorization', `Bearer ${admin}`).send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${reviewer.token}`)).status).toBe(401);
    const login = await t.http.post('/api/v1/auth/login').send({ email: reviewer.email, password: 'anything-at-all' });
    expect(login.status).toBe(401);
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    const short = await startTestApp({ SESSION_TTL_HOURS: '0.0003' }); // about one second
    try {
      const token = await short.login(ADMIN.email, ADMIN.password);
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1300));
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
      // The next sign-in removes the expired session's row.
      const count = () => (short.app.database.sqlite.prepare('select count(*) as n from sessions').get() as { n: number }).n;
      expect(count()).toBe(1);
      await short.login(ADMIN.email, ADMIN.password);
      expect(count()).toBe(1);
    } finally {
      await short.close();
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After once an address tries too often', async () => {
    const t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.http.post('/api/v1/auth/login').send({ email: ADMIN.email, password: `wrong-${i}-password` });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('TOO_MANY_REQUESTS');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // Even the right password is refused until the window passes.
      const right = await t.http.post('/api/v1/auth/login').send({ email: ADMIN.email, password: ADMIN.password });
      expect(right.status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('client address behind a proxy', () => {
  it('records the forwarded address only when TRUST_PROXY says the proxy is trusted', async () => {
    for (const [env, expected] of [[{}, '127.0.0.1'], [{ TRUST_PROXY: 'true' }, '203.0.113.7']] as const) {
      const t = await startTestApp(env);
      try {
        const res = await t.http.post('/api/v1/auth/login').set('x-forwarded-for', '203.0.113.7').send({ email: ADMIN.email, password: ADMIN.password });
        expect(res.status).toBe(200);
        const audit = await t.http.get('/api/v1/audit?action=auth.login').set('authorization', `Bearer ${res.body.token}`);
        expect(audit.body.items[0].ip).toMatch(new RegExp(`${expected.replace(/\./g, '\\.')}$`));
      } finally {
        await t.close();
      }
    }
  });
});
