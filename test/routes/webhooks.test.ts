// Webhooks over real HTTP both ways: the admin routes, the URLs refused, and signed deliveries to a real
// receiver on loopback (test/helpers/webhook-receiver.ts) that answers, fails, holds the request or is not
// there. Retries wait on the injected clock, so a day of backoff takes no wall-clock time.
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildOptions } from '../../src/app.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CASE_INPUT, postCase } from '../helpers/cases.js';
import { startWebhookReceiver, type ReceiverMode, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'receiver-secret-that-signs-0123';
const PUBLIC_URL = 'https://derm.clinic.example';
const PHOTO = 'real/DSCN0010.jpg';

interface Delivery {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** One app with its admin, a clinician, and the receivers and webhooks each test made (gone after it). */
function webhookSuite(env: Record<string, string> = {}, options: BuildOptions = {}) {
  const s = {} as { t: TestApp; admin: string; clinician: string };
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    // A day of retries moves the clock past any session's lifetime.
    s.t = await startTestApp({ PUBLIC_URL, SESSION_TTL_HOURS: '720', ...env }, { skipOrphanSweep: true, ...options });
    s.admin = await s.t.adminToken();
    s.clinician = (await s.t.createUser('clinician')).token;
  });
  afterEach(async () => {
    for (const hook of (await s.t.http.get('/api/v1/webhooks').set(auth(s.admin))).body.items as { id: string }[]) {
      expect((await s.t.http.delete(`/api/v1/webhooks/${hook.id}`).set(auth(s.admin))).status).toBe(204);
    }
    await s.t.app.notifier.dispatcher.settle();
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  afterAll(async () => s.t?.close());

  return {
    get t() {
      return s.t;
    },
    get admin() {
      return s.admin;
    },
    async receiver(mode: ReceiverMode = 'ok', listening = true) {
      const receiver = await startWebhookReceiver(SECRET, { mode, listening });
      receivers.push(receiver);
      return receiver;
    },
    createWebhook(body: Record<string, unknown>, token = s.admin) {
      return s.t.http.post('/api/v1/webhooks').set(auth(token)).send(body);
    },
    async webhookTo(url: string, events = ['case.created']): Promise<string> {
      const res = await s.t.http.post('/api/v1/webhooks').set(auth(s.admin)).send({ url, events, secret: SECRET });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    },
    async deliveries(hookId: string): Promise<Delivery[]> {
      const res = await s.t.http.get(`/api/v1/webhooks/${hookId}/deliveries`).set(auth(s.admin));
      expect(res.status).toBe(200);
      return res.body.items as Delivery[];
    },
    async newCase(): Promise<string> {
      const res = await postCase(s.t, s.clinician, [PHOTO]);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    },
    /** One dispatch pass, and every send it started finished. */
    settle: () => s.t.app.notifier.dispatcher.settle(),
  };
}

describe('webhooks', () => {
  const w = webhookSuite();

  it('lets admins create, list and delete webhooks and read their deliveries, never showing the secret', async () => {
    const { t, admin } = w;
    const receiver = await w.receiver();
    const created = await w.createWebhook({ url: receiver.url, events: ['case.created', 'message.created'], secret: SECRET });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), url: receiver.url, events: ['case.created', 'message.created'], createdAt: expect.any(String) });
    const list = await t.http.get('/api/v1/webhooks').set(auth(admin));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([created.body]);
    const log = await t.http.get(`/api/v1/webhooks/${created.body.id}/deliveries`).set(auth(admin));
    expect(log.status).toBe(200);
    expect(log.body).toEqual({ items: [] });
    for (const text of [created.text, list.text, log.text, t.logs.join('')]) expect(text).not.toContain(SECRET);

    // Deleted: gone from the list, 404 afterwards, and a later change reaches it no more.
    expect((await t.http.delete(`/api/v1/webhooks/${created.body.id}`).set(auth(admin))).status).toBe(204);
    expect((await t.http.delete(`/api/v1/webhooks/${created.body.id}`).set(auth(admin))).status).toBe(404);
    expect((await t.http.get(`/api/v1/webhooks/${created.body.id}/deliveries`).set(auth(admin))).status).toBe(404);
    expect((await t.http.get('/api/v1/webhooks').set(auth(admin))).body.items).toEqual([]);
    await w.newCase();
    await w.settle();
    expect(receiver.received).toEqual([]);
  });

  it('refuses clinicians and reviewers (403) and anyone not signed in (401)', async () => {
    const { t } = w;
    const hookId = await w.webhookTo((await w.receiver()).url);
    const clinician = await t.createUser('clinician');
    const reviewer = await t.createUser('reviewer', { queues: ['general'] });
    const body = { url: 'http://127.0.0.1:9/hook', events: ['case.created'], secret: SECRET };
    for (const token of [clinician.token, reviewer.token]) {
      expect((await t.http.post('/api/v1/webhooks').set(auth(token)).send(body)).status).toBe(403);
      expect((await t.http.get('/api/v1/webhooks').set(auth(token))).status).toBe(403);
      expect((await t.http.get(`/api/v1/webhooks/${hookId}/deliveries`).set(auth(token))).status).toBe(403);
      expect((await t.http.delete(`/api/v1/webhooks/${hookId}`).set(auth(token))).status).toBe(403);
    }
    expect((await t.http.post('/api/v1/webhooks').send(body)).status).toBe(401);
    expect((await t.http.get('/api/v1/webhooks')).status).toBe(401);
    expect((await t.http.get(`/api/v1/webhooks/${hookId}/deliveries`)).status).toBe(401);
    expect((await t.http.delete(`/api/v1/webhooks/${hookId}`)).status).toBe(401);
    expect((await t.http.get('/api/v1/webhooks').set(auth(w.admin))).body.items.map((h: { id: string }) => h.id)).toEqual([hookId]);
  });

  it('takes only http(s) URLs without credentials that are not the service itself; private and loopback ones are fine', async () => {
    const { t } = w;
    // The app on a real socket, so that "itself" is a port it listens on.
    const self = Number(new URL(await t.baseUrl()).port);
    const refused = [
      'ftp://127.0.0.1/hook',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mailto:ehr@clinic.example',
      'not a url at all',
      'http://user:pass@192.168.1.20/hook',
      `http://127.0.0.1:${self}/api/v1/cases`,
      `http://localhost:${self}/`,
      `http://[::1]:${self}/`,
      // Other spellings of loopback, which URL parsing turns into 127.0.0.1 or ::ffff:7f00:1.
      `http://127.1:${self}/`,
      `http://2130706433:${self}/`,
      `http://[::ffff:127.0.0.1]:${self}/`,
      `http://0.0.0.0:${self}/`,
      `${PUBLIC_URL}/api/v1/webhooks`,
    ];
    // This machine's own network address at the service's port, where it has one besides loopback.
    const lan = Object.values(os.networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal);
    if (lan) refused.push(`http://${lan.address}:${self}/`);
    for (const url of refused) {
      const res = await w.createWebhook({ url, events: ['case.created'], secret: SECRET });
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: expect.any(String), error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
    }
    const valid = { url: 'http://127.0.0.1:9/hook', events: ['case.created'], secret: SECRET };
    for (const body of [
      { ...valid, events: [] },
      { ...valid, events: ['case.deleted'] },
      { ...valid, events: ['case.created', 'case.created'] },
      { ...valid, secret: 'too-short' },
      { ...valid, active: true },
      { url: valid.url, events: valid.events },
    ]) {
      expect((await w.createWebhook(body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.http.get('/api/v1/webhooks').set(auth(w.admin))).body.items).toEqual([]);

    for (const url of [`http://127.0.0.1:${self + 1}/hook`, 'http://localhost:8080/ehr', `http://[::1]:${self + 1}/`, 'http://10.1.2.3/ehr/events', 'https://192.168.1.20:8443/hook']) {
      const res = await w.createWebhook({ ...valid, url });
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(201);
      // Deleted at once: nothing listens there to receive an event.
      expect((await t.http.delete(`/api/v1/webhooks/${res.body.id}`).set(auth(w.admin))).status).toBe(204);
    }
  });

  it('sends one signed POST for a new case to each webhook subscribed to it and none to the others, with no patient text', async () => {
    const { t } = w;
    const subscribed = await w.receiver();
    const other = await w.receiver();
    const hookId = await w.webhookTo(subscribed.url, ['case.created']);
    await w.webhookTo(other.url, ['message.created']);
    const clockAhead = t.clock.now() - Date.now();

    const caseId = await w.newCase();
    // Woken by the commit: no pass is run by hand before it arrives.
    await subscribed.waitForRequests(1);
    await w.settle();
    expect(subscribed.received).toHaveLength(1);
    expect(other.received).toEqual([]);

    const [got] = subscribed.received;
    expect(got!.signatureValid).toBe(true);
    expect(got!.headers['content-type']).toMatch(/^application\/json/);
    expect(Math.abs(got!.timestamp - Math.floor(t.clock.now() / 1000))).toBeLessThan(60);
    const body = JSON.parse(got!.body) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ id: got!.id, type: 'case.created', createdAt: expect.any(String), data: { caseId } });
    expect(got!.id).toMatch(/^\d+$/);
    for (const text of [CASE_INPUT.patientRef, CASE_INPUT.history, CASE_INPUT.question, CASE_INPUT.bodySite]) expect(got!.body).not.toContain(text);
    console.log(`webhook latency (change committed -> receiver got it): ${got!.receivedAt - (Date.parse(body.createdAt) - clockAhead)} ms`);

    const [delivery, ...more] = await w.deliveries(hookId);
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({ eventId: got!.id, event: 'case.created', status: 'delivered', responseStatus: 200, attempts: 1, error: null, nextAttemptAt: null, deliveredAt: expect.any(String) });
  });

  it('tries a receiver that answered 500 again after the backoff, and stops once it answered 2xx', async () => {
    const { t } = w;
    const receiver = await w.receiver('error');
    const hookId = await w.webhookTo(receiver.url);
    await w.newCase();
    await w.settle();
    const [failed] = await w.deliveries(hookId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, error: 'HTTP 500', deliveredAt: null });
    const wait = Date.parse(failed!.nextAttemptAt!) - Date.parse(failed!.lastAttemptAt!);
    expect(Math.abs(wait - 5_000)).toBeLessThan(1_000);

    // Not due yet: the receiver, answering again, is not asked before the backoff has passed.
    receiver.setMode('ok');
    await w.settle();
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(6_000);
    await w.settle();
    const [delivered] = await w.deliveries(hookId);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200, error: null, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((r) => r.signatureValid && r.id === delivered!.eventId)).toBe(true);

    t.clock.advance(3_600_000);
    await w.settle();
    expect(receiver.delivered()).toHaveLength(1);
    expect(receiver.received).toHaveLength(2);
  });

  it('answers the change at once while the receiver holds the request, and while it is unreachable', async () => {
    const holding = await w.receiver('hold');
    const hookId = await w.webhookTo(holding.url);
    await w.newCase();
    // The case was answered 201 while its delivery is under way: the receiver has it and has not answered.
    await holding.waitForRequests(1);
    expect(await w.deliveries(hookId)).toMatchObject([{ status: 'pending', attempts: 0, deliveredAt: null }]);
    holding.release();
    await w.settle();
    expect(await w.deliveries(hookId)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
    expect((await w.t.http.delete(`/api/v1/webhooks/${hookId}`).set(auth(w.admin))).status).toBe(204);

    const closed = await w.receiver('ok', false);
    const closedHook = await w.webhookTo(closed.url);
    await w.newCase();
    // Answered 201; its delivery, written by the dispatcher just after the commit, can only be pending.
    expect((await w.deliveries(closedHook)).every((d) => d.status === 'pending')).toBe(true);
    await w.settle();
    expect(await w.deliveries(closedHook)).toMatchObject([{ status: 'pending', attempts: 1, responseStatus: null, error: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: expect.any(String) }]);
  });

  it('gives up after 24 h of failures, backing off from 5 s, and tries no more', async () => {
    const { t } = w;
    const receiver = await w.receiver('error');
    const hookId = await w.webhookTo(receiver.url);
    await w.newCase();
    await w.settle();
    const waits: number[] = [];
    let [delivery] = await w.deliveries(hookId);
    for (let i = 0; delivery!.status === 'pending'; i++) {
      expect(i, 'attempts before giving up').toBeLessThan(100);
      waits.push(Date.parse(delivery!.nextAttemptAt!) - Date.parse(delivery!.lastAttemptAt!));
      t.clock.advance(Date.parse(delivery!.nextAttemptAt!) - t.clock.now() + 1);
      await w.settle();
      [delivery] = await w.deliveries(hookId);
    }
    expect(waits.slice(0, 3).map((ms) => Math.round(ms / 1000))).toEqual([5, 30, 120]);
    expect(delivery).toMatchObject({ status: 'failed', responseStatus: 500, nextAttemptAt: null, deliveredAt: null });
    expect(Date.parse(delivery!.lastAttemptAt!) - Date.parse(delivery!.createdAt)).toBeLessThanOrEqual(24 * 3_600_000);
    expect(Date.parse(delivery!.lastAttemptAt!) - Date.parse(delivery!.createdAt)).toBeGreaterThan(20 * 3_600_000);
    expect(receiver.received).toHaveLength(delivery!.attempts);

    t.clock.advance(2 * 24 * 3_600_000);
    await w.settle();
    expect(receiver.received).toHaveLength(delivery!.attempts);
    expect((await w.deliveries(hookId))[0]).toMatchObject({ status: 'failed', attempts: delivery!.attempts });
  });
});

describe('webhooks with a receiver slower than the timeout', () => {
  const w = webhookSuite({}, { notifications: { deliveryTimeoutMs: 300 } });

  it('cuts the attempt at the timeout and delivers on a later one', async () => {
    const { t } = w;
    const receiver = await w.receiver('hold');
    const hookId = await w.webhookTo(receiver.url);
    await w.newCase();
    await w.settle();
    expect(await w.deliveries(hookId)).toMatchObject([{ status: 'pending', attempts: 1, responseStatus: null, error: expect.stringMatching(/no answer/), nextAttemptAt: expect.any(String) }]);
    expect(receiver.received).toHaveLength(1);

    receiver.setMode('ok');
    t.clock.advance(6_000);
    await w.settle();
    expect(await w.deliveries(hookId)).toMatchObject([{ status: 'delivered', attempts: 2, responseStatus: 200 }]);
    expect(receiver.delivered()).toHaveLength(1);
    expect(receiver.received[0]!.answered).toBeNull();
  });
});
