// The edge of the API, as an attacker and a careless client meet it: authentication decided per route
// whatever the spelling of the path, sign-out without a token, `no-store` on every answer, JSON bodies
// typed strictly, dates that cannot be printed, and follow-up tokens kept out of the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface Operation {
  method: string;
  path: string;
  security: unknown[];
}

/** Every operation of the OpenAPI document, with a made-up id in place of each path parameter. */
async function operations(t: TestApp): Promise<Operation[]> {
  const doc = (await t.http.get('/docs/json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>>; security?: unknown[] };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, 'AAAAAAAAAAAAAAAAAAAAAA'),
      security: op.security ?? doc.security ?? [],
    })),
  );
}

/** Ways to write the same path that a router might decode, fold or normalise into a route. */
function spellings(path: string): string[] {
  const [, ...segments] = path.split('/');
  const encodeFirst = (segment: string) => `%${segment.charCodeAt(0).toString(16)}${segment.slice(1)}`;
  return [
    path,
    `/${encodeFirst(segments[0]!)}/${segments.slice(1).join('/')}`,
    `/${segments.slice(0, -1).join('/')}/${encodeFirst(segments[segments.length - 1]!)}`,
    `/${segments.map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')).join('/')}`,
    path.toUpperCase(),
    `/${path}`,
    path.replace('/v1/', '/v1//'),
    `${path}/`,
    path.replace('/api/', '/api/./'),
    path.replace('/api/v1/', '/api/v1/x/../'),
    path.replace('/api/v1/', '/api%2Fv1/'),
    path.replace('/api/v1/', '/api/v1;/'),
    `${path}%00`,
  ];
}

describe('authentication is decided per route, never from the URL', () => {
  let t: TestApp;
  let clinician: { token: string };
  beforeAll(async () => {
    t = await startTestApp();
    clinician = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  it('lets no spelling of a signed-in route reach its handler without a token', async () => {
    const signedIn = (await operations(t)).filter((op) => op.security.length > 0);
    expect(signedIn.length).toBeGreaterThan(20);
    const reached: string[] = [];
    for (const op of signedIn) {
      for (const path of spellings(op.path)) {
        const res = await t.raw(op.method, path, { 'content-type': 'application/json' }, op.method === 'GET' ? undefined : '{}');
        if (![400, 401, 404].includes(res.status)) reached.push(`${op.method} ${path} -> ${res.status}`);
      }
    }
    expect(reached).toEqual([]);
  });

  it('lets no spelling of an admin route reach its handler with a clinician token', async () => {
    const adminOnly = ['/api/v1/users', '/api/v1/audit', '/api/v1/stats', '/api/v1/sites'];
    const reached: string[] = [];
    for (const path of adminOnly) {
      for (const spelled of spellings(path)) {
        const res = await t.raw('GET', spelled, auth(clinician.token));
        if (![400, 403, 404].includes(res.status)) reached.push(`GET ${spelled} -> ${res.status}`);
      }
    }
    expect(reached).toEqual([]);
  });

  it('creates no admin through /%61pi/v1/users without a token', async () => {
    const users = () => t.sql.count('users');
    const before = await users();
    const res = await t.raw('POST', '/%61pi/v1/users', { 'content-type': 'application/json' }, JSON.stringify({ email: 'intruder@evil.test', name: 'x', role: 'admin', password: 'an-intruder-password' }));
    expect(res.status).toBe(401);
    expect(await users()).toBe(before);
  });

  it('answers sign-out without a token, however spelled, with 401 and the usual error body', async () => {
    for (const path of spellings('/api/v1/auth/logout')) {
      const res = await t.raw('POST', path);
      expect([401, 404], path).toContain(res.status);
      expect(JSON.parse(res.text)).toMatchObject({ statusCode: res.status, code: res.status === 401 ? 'UNAUTHORIZED' : 'NOT_FOUND' });
    }
  });
});

describe('every /api/v1 answer is no-store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('on success, on errors, on unknown routes and on photo bytes', async () => {
    const clinician = await t.createUser('clinician');
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const photo = created.body.photos[0].id as string;
    const answers: [string, { headers: Record<string, string> }][] = [
      ['case created', created],
      ['me', await t.http.get('/api/v1/me').set(auth(clinician.token))],
      ['me without token', await t.http.get('/api/v1/me')],
      ['users as a clinician', await t.http.get('/api/v1/users').set(auth(clinician.token))],
      ['unknown route', await t.http.get('/api/v1/no-such-route')],
      ['photo', await t.http.get(`/api/v1/photos/${photo}`).set(auth(clinician.token))],
      ['thumbnail', await t.http.get(`/api/v1/photos/${photo}?variant=thumb`).set(auth(clinician.token))],
      ['failed sign-in', await t.http.post('/api/v1/auth/login').send({ email: 'x@y.test', password: 'not-the-password' })],
    ];
    for (const [what, res] of answers) expect(res.headers['cache-control'], what).toBe('no-store');
  });
});

describe('JSON bodies are typed strictly; query strings may convert', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterAll(async () => t.close());

  it('refuses a string where a boolean or a number belongs', async () => {
    const user = await t.createUser('reviewer', { queues: ['general'] });
    const disabled = await t.http.patch(`/api/v1/users/${user.id}`).set(auth(admin)).send({ disabled: 'true' });
    expect(disabled.status).toBe(400);
    expect(disabled.body).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(disabled.body.message).toContain('disabled');
    expect((await t.http.get('/api/v1/me').set(auth(user.token))).status).toBe(200); // still enabled
    const quorum = await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: 'strict-q', name: 'Strict', quorum: '3' });
    expect(quorum.status).toBe(400);
    const array = await t.http.post('/api/v1/queues').set(auth(admin)).send({ slug: ['strict-q'], name: 'Strict' });
    expect(array.status).toBe(400);
  });

  it('converts numbers in a query string', async () => {
    const res = await t.http.get('/api/v1/audit?limit=2').set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
  });
});

describe('dates in queries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it.each(['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '1969-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '99999-01-01T00:00:00Z'])(
    'answers stats to=%s with 400, not 500',
    async (to) => {
      const res = await t.http.get(`/api/v1/stats?to=${encodeURIComponent(to)}`).set(auth(await t.adminToken()));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      const from = await t.http.get(`/api/v1/stats?from=${encodeURIComponent(to)}`).set(auth(await t.adminToken()));
      expect(from.status).toBe(400);
    },
  );
});

describe('follow-up tokens in the logs', () => {
  it('never logs the token, however the path is spelled', async () => {
    const t = await startTestApp({ LOG_LEVEL: 'trace' });
    try {
      const clinician = await t.createUser('clinician');
      const created = await postCase(t, clinician.token, ['orient-1.jpg']);
      const link = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set(auth(clinician.token)).send({});
      const token = link.body.token as string;
      const encoded = [...token].map((c, i) => (i % 3 === 0 ? `%${c.charCodeAt(0).toString(16)}` : c)).join('');
      const paths = [
        `/f/${token}`,
        `/%66/${token}`,
        `/%46/${token}`,
        `/f/${encoded}`,
        `//f/${token}`,
        `/f//${token}`,
        `/f/${token}/`,
        `/F/${token}`,
        `/f/./${token}`,
        `/x/../f/${token}`,
        `/f/${token}%`,
        `/f/${token}%E0%A4%A`,
        `/f/${token}/photos/more`,
        `/f/${token}%2Fphotos`,
        `/f;/${token}`,
        `/%66/${token}/photos`,
        `/${token}`,
        `/api/v1/${token}`,
      ];
      for (const path of paths) {
        await t.raw('GET', path);
        await t.raw('POST', path, { 'content-type': 'multipart/form-data; boundary=x' }, '--x--');
      }
      const logs = t.logs.join('\n');
      expect(t.logs.length).toBeGreaterThan(paths.length * 2);
      for (const piece of [token, token.slice(0, 16), token.slice(-16), encoded.slice(0, 20)]) expect(logs).not.toContain(piece);
    } finally {
      await t.close();
    }
  });
});
