import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';


describe('health', () => {
  it('is ready with the embedded database and object store', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/healthz')).status).toBe(200);
      const ready = await t.http.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', database: true, objectStore: true });
    } finally {
      await t.close();
    }
  });

  it('is not ready (503) but stays up when MINIO_ENDPOINT points at a closed port', async () => {
    const port = await freePort(); // nothing listens there
    const t = await startTestApp({ MINIO_ENDPOINT: '127.0.0.1', MINIO_PORT: String(port), MINIO_ACCESS_KEY: 'k', MINIO_SECRET_KEY: 's' });
    try {
      const ready = await t.http.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'unavailable', database: true, objectStore: false });
      expect((await t.http.get('/healthz')).status).toBe(200);
      // Accounts still work: only photo storage is down.
      const login = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@x.test', password: 'whatever-pass' });
      expect(login.status, `${JSON.stringify(login.body)}\n${t.logs.filter((l) => /"level":(40|50)/.test(l)).join('')}`).toBe(401);
    } finally {
      await t.close();
    }
  });
});
