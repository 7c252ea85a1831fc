// PostgreSQL cannot be reached: requests fail with a clear 503 DATABASE_UNAVAILABLE, nothing is
// half-stored, and the service recovers by itself once the server is back, whether it was down at start or
// went down in the middle of an upload. The cluster is the test's own: the run's shared one must stay up.
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { CASE_INPUT, countRows, objectKeys, postCase } from '../helpers/cases.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';

let t: TestApp | null = null;
let cluster: PostgresCluster | null = null;
afterEach(async () => {
  await t?.close();
  await cluster?.stop();
  t = null;
  cluster = null;
});

describe('PostgreSQL out of reach', () => {
  it('starts anyway while the server is down, answers 503 DATABASE_UNAVAILABLE, and is ready once it is back', async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    await cluster.stopServer();
    t = await startTestApp({ DATABASE_URL: url }, { skipOrphanSweep: true });

    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', database: false, objectStore: true });
    const login = await t.http.post('/api/v1/auth/login').send(ADMIN);
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(login.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(login.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    expect((await t.http.get(`/f/${'a'.repeat(43)}`).set('accept', 'application/json')).status).toBe(503);

    // Back: the schema is migrated and the first admin made on the next request, with no restart.
    await cluster.startServer();
    expect((await t.http.get('/readyz')).status).toBe(200);
    expect((await t.http.post('/api/v1/auth/login').send(ADMIN)).status).toBe(200);
  });

  it('refuses an upload whose commit meets a stopped server, keeps no object of it, and recovers', async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    t = await startTestApp({ DATABASE_URL: url }, { skipOrphanSweep: true });
    const clinician = await t.createUser('clinician');
    expect((await postCase(t, clinician.token, ['real/DSCN0010.jpg'])).status).toBe(201);
    const before = { cases: await countRows(t, 'cases'), photos: await countRows(t, 'photos'), objects: (await objectKeys(t)).length };

    // The server stops (fast shutdown: its connections are cut) once the upload's first object has
    // landed, so the photos are stored and the rows cannot be written.
    const store = t.app.store;
    const put = store.put.bind(store);
    let stopAfterFirstPut = true;
    store.put = async (...args) => {
      await put(...args);
      if (stopAfterFirstPut) {
        stopAfterFirstPut = false;
        await cluster!.stopServer();
      }
    };
    const res = await postCase(t, clinician.token, ['real/DSCN0012.jpg', 'real/nikon-e950.jpg']);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', requestId: expect.any(String) });
    expect((await t.http.get('/readyz')).body).toMatchObject({ database: false });
    expect(t.logs.join('')).toMatch(/DATABASE_UNAVAILABLE/);
    expect(t.logs.join('')).not.toContain(CASE_INPUT.history);

    await cluster.startServer();
    // The pool replaced the connections the server cut: the next requests simply work.
    expect((await t.http.get('/readyz')).status).toBe(200);
    expect(await countRows(t, 'cases')).toBe(before.cases);
    expect(await countRows(t, 'photos')).toBe(before.photos);
    expect((await objectKeys(t)).length).toBe(before.objects);
    expect((await postCase(t, clinician.token, ['real/DSCN0012.jpg'])).status).toBe(201);
    expect(await countRows(t, 'photos')).toBe(before.photos + 1);
  });
});
