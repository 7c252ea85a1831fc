// Overload (@fastify/under-pressure): a stalled event loop makes the service shed new requests with a
// 503, a Retry-After and the usual error body, while the health probes keep answering.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

function blockEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: this is the overload
  }
}

/** Signs in, retrying while the service sheds: with a 50 ms threshold a busy CI machine alone can trip it. */
async function adminTokenWhenServed(app: TestApp): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await app.adminToken();
    } catch (err) {
      if (attempt >= 50 || !String((err as Error).message).includes('OVERLOADED')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('overload', () => {
  it('sheds requests with 503 OVERLOADED and Retry-After, keeps /healthz and /readyz answering, and recovers', async () => {
    t = await startTestApp({}, { pressure: { maxEventLoopDelay: 50, sampleInterval: 20, retryAfterSeconds: 7 }, skipOrphanSweep: true });
    const token = await adminTokenWhenServed(t);

    // Stall the loop until a request arrives while the sampler sees the stall. Which request that is
    // depends on the scheduler, so it is retried (bounded) rather than raced once.
    let shed: Awaited<ReturnType<typeof t.http.get>> | null = null;
    for (let attempt = 0; attempt < 30 && shed?.status !== 503; attempt++) {
      blockEventLoop(200);
      await new Promise((r) => setTimeout(r, 25));
      blockEventLoop(200);
      await new Promise((r) => setImmediate(r));
      shed = await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`);
    }
    expect(shed?.status).toBe(503);
    expect(shed!.headers['retry-after']).toBe('7');
    expect(shed!.body).toMatchObject({ statusCode: 503, code: 'OVERLOADED', error: 'Service Unavailable', requestId: expect.any(String) });

    blockEventLoop(200);
    await new Promise((r) => setImmediate(r));
    expect((await t.http.get('/healthz')).status).toBe(200);

    // Once the loop runs freely again, requests are served.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status;
    }
    expect(status).toBe(200);
  });
});
