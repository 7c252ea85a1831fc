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
    const short = await startTestApp({ SESSION_TTL_HOURS: '2' });
    try {
      const token = await short.login(ADMIN.email, ADMIN.password);
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
      short.clock.advance(2 * 3600_000 - 60_000);
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
      short.clock.advance(60_000);
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
      // The periodic purge removes the expired session's row, and only that one.
      const count = () => short.sql.count('sessions');
      const fresh = await short.login(ADMIN.email, ADMIN.password);
      expect(await count()).toBe(2);
      await short.app.jobs.run('purgeExpiredSessions');
      expect(await count()).toBe(1);
      expect((await short.http.get('/api/v1/me').set('authorization', `Bearer ${fresh}`)).status).toBe(200);
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
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const audit = await t.http.get('/api/v1/audit?action=auth.login').set('authorization', `Bearer ${res.body.token}`);
        expect(audit.body.items[0].ip).toMatch(new RegExp(`${expected.replace(/\./g, '\\.')}$`));
      } finally {
        await t.close();
      }
    }
  });
});

describe('sign-in throttling: by failures, per account and per address', () => {
  it('lets 30 staff behind one clinic address sign in within a minute, with the default limits', async () => {
    // The default LOGIN_RATE_LIMIT_PER_MINUTE, not the test helper's generous one.
    const t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '20' });
    try {
      const admin = await t.adminToken();
      const staff = [];
      for (let i = 0; i < 30; i++) {
        const email = `nurse${i}@clinic.test`;
        const password = `shift-start-passphrase-${i}`;
        const res = await t.http.post('/api/v1/users').set('authorization', `Bearer ${admin}`).send({ email, password, role: 'clinician', name: `Nurse ${i}` });
        expect(res.status).toBe(201);
        staff.push({ email, password });
      }
      // A few typos along the way do not lock the clinic out either.
      for (const { email } of staff.slice(0, 5)) expect((await t.http.post('/api/v1/auth/login').send({ email, password: 'typo-in-the-password' })).status).toBe(401);
      const answers = await Promise.all(staff.map((s) => t.http.post('/api/v1/auth/login').send(s)));
      expect(answers.map((r) => r.status), JSON.stringify(answers.find((r) => r.status !== 200)?.body)).toEqual(Array(30).fill(200));
    } finally {
      await t.close();
    }
  });

  it('throttles repeated wrong passwords for one account from any address, and leaves other accounts alone', async () => {
    const t = await startTestApp({ TRUST_PROXY: 'true', LOGIN_FAILURES_PER_ACCOUNT: '5' });
    try {
      const target = await t.createUser('clinician');
      const bystander = await t.createUser('clinician');
      const from = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push((await t.http.post('/api/v1/auth/login').set(from(i)).send({ email: target.email, password: `guess-number-${i}-wrong` })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const right = await t.http.post('/api/v1/auth/login').set(from(99)).send({ email: target.email.toUpperCase(), password: target.password });
      expect(right.status).toBe(429);
      expect(right.body.code).toBe('TOO_MANY_REQUESTS');
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(60);
      expect(right.body.message).toMatch(/minutes/);
      expect((await t.http.post('/api/v1/auth/login').set(from(1)).send({ email: bystander.email, password: bystander.password })).status).toBe(200);
      // The count is the same for an unknown email: throttling says nothing about which accounts exist.
      const ghost: number[] = [];
      for (let i = 0; i < 6; i++) ghost.push((await t.http.post('/api/v1/auth/login').set(from(i)).send({ email: 'nobody@clinic.test', password: 'whatever-it-is-here' })).status);
      expect(ghost).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('password rules', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it.each([
    ['12 spaces', ' '.repeat(12), /only spaces/],
    ['one character repeated', 'x'.repeat(16), /one character repeated/],
    ['a common password with digits', 'password1234', /most common/],
    ['a keyboard row', 'qwertyuiopasdf', /row of the keyboard/],
    ['a word said twice', 'monkeymonkey', /repeated/],
    ['too short', 'short-pw', /at least 12/],
  ])('refuses %s with 400 and the rule in plain words', async (_what, password, rule) => {
    const res = await t.http.post('/api/v1/users').set('authorization', `Bearer ${await t.adminToken()}`).send({ email: `weak${Math.random()}@clinic.test`, name: 'Weak', role: 'clinician', password });
    expect(res.status).toBe(400);
    expect(['WEAK_PASSWORD', 'VALIDATION_ERROR']).toContain(res.body.code);
    expect(res.body.message).toMatch(res.body.code === 'WEAK_PASSWORD' ? rule : /password/);
  });

  it('takes a long passphrase of ordinary words', async () => {
    const res = await t.http.post('/api/v1/users').set('authorization', `Bearer ${await t.adminToken()}`).send({ email: 'strong@clinic.test', name: 'Strong', role: 'clinician', password: 'river lantern mango 1987' });
    expect(res.status).toBe(201);
  });
});
