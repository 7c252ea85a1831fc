// Two service processes on one PostgreSQL database and one S3 bucket (Ceph RADOS Gateway), as behind a load
// balancer: what one instance decides, the other sees. Claims and quorum, sign-in throttling and follow-up
// allowances hold across both; a token made on one works on the other; one instance killed in the middle
// of an upload leaves the other serving and no row without its objects. Events reach a webhook once
// whichever instance made the change, and an event stream on one instance hears of changes made on the other.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as Minio from 'minio';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN } from '../helpers/app.js';
import { rgwEnv } from '../helpers/ceph-rgw.js';
import { CASE_INPUT } from '../helpers/cases.js';
import { openEventStream } from '../helpers/event-stream.js';
import { FIXTURES_DIR } from '../helpers/images.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { jsonRequest, LARGER_PHOTO, PHOTO, slowPostCase, startServer, tempDataDir, type ServerProcess } from '../faults/support.js';

const rgw = inject('rgw');
const BUCKET = `two-instances-${randomBytes(4).toString('hex')}`;
const REVIEWERS = 10;
const QUORUM = 2;

let database: TestDatabase;
let sql: pg.Pool;
const dataDirs: string[] = [];
let a: ServerProcess;
let b: ServerProcess;
let adminToken: string;

async function instance(): Promise<ServerProcess> {
  // Each instance has a DATA_DIR of its own, as on separate machines: nothing may be shared through it.
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return startServer(dataDir, { DATABASE_URL: database.url, ...rgwEnv(rgw, BUCKET), LOGIN_FAILURES_PER_ACCOUNT: '4' });
}

async function createUser(on: ServerProcess, role: 'clinician' | 'reviewer', queues: string[] = []) {
  const email = `${role}-${randomBytes(6).toString('hex')}@clinic.test`;
  const password = `${role}-password-long-enough`;
  const created = await jsonRequest<{ id: string }>(on.baseUrl, 'POST', '/api/v1/users', adminToken, { email, password, role, name: `${role} ${email}`, ...(queues.length ? { queues } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, email, password };
}

async function login(on: ServerProcess, email: string, password: string): Promise<string> {
  const res = await jsonRequest<{ token: string }>(on.baseUrl, 'POST', '/api/v1/auth/login', undefined, { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token;
}

/** A case with one photo in the given queue, through the given instance. */
async function openCase(on: ServerProcess, token: string, queue: string): Promise<string> {
  const form = new FormData();
  form.append('case', JSON.stringify({ ...CASE_INPUT, queue }));
  form.append('photos', new Blob([new Uint8Array(PHOTO)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${on.baseUrl}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

async function sendFollowUp(on: ServerProcess, token: string, photos: number): Promise<number> {
  const form = new FormData();
  const photo = fs.readFileSync(path.join(FIXTURES_DIR, 'orient-1.jpg'));
  for (let i = 0; i < photos; i++) form.append('photos', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), `p${i}.jpg`);
  const res = await fetch(`${on.baseUrl}/f/${token}/photos`, { method: 'POST', headers: { accept: 'application/json' }, body: form });
  await res.arrayBuffer();
  return res.status;
}

async function bucketKeys(): Promise<Set<string>> {
  const client = new Minio.Client({ endPoint: rgw.endpoint, port: rgw.port, useSSL: false, accessKey: rgw.accessKey, secretKey: rgw.secretKey, region: rgw.region });
  const keys = new Set<string>();
  for await (const item of client.listObjectsV2(BUCKET, '', true) as AsyncIterable<{ name?: string }>) if (item.name) keys.add(item.name);
  return keys;
}

beforeAll(async () => {
  database = await createTestDatabase(inject('postgres').adminUrl);
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  sql.on('error', () => {});
  // Started together on an empty database: one migrates and makes the first admin, the other waits its turn.
  [a, b] = await Promise.all([instance(), instance()]);
  adminToken = await login(a, ADMIN.email, ADMIN.password);
}, 120_000);

afterAll(async () => {
  for (const server of [a, b]) {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  await sql?.end();
  await database?.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('two instances on one PostgreSQL and one RADOS Gateway', () => {
  it('migrated once and made one first admin, though both started on an empty database at once', async () => {
    const admins = await sql.query<{ n: number }>("select count(*)::int as n from users where role = 'admin'");
    expect(admins.rows[0]!.n).toBe(1);
    const migrations = await sql.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(migrations.rows[0]!.n).toBe(fs.readdirSync(path.resolve(import.meta.dirname, '../../db/postgres')).filter((f) => f.endsWith('.sql')).length);
  });

  it('accepts on one instance a token made on the other', async () => {
    const clinician = await createUser(a, 'clinician');
    const token = await login(a, clinician.email, clinician.password);
    const me = await jsonRequest<{ id: string }>(b.baseUrl, 'GET', '/api/v1/me', token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(clinician.id);
    // Signed out on B: refused on A at once.
    expect((await jsonRequest(b.baseUrl, 'POST', '/api/v1/auth/logout', token)).status).toBe(204);
    expect((await jsonRequest(a.baseUrl, 'GET', '/api/v1/me', token)).status).toBe(401);
  });

  it('hands one case to exactly quorum of ten reviewers claiming at once on both instances', async () => {
    const slug = `fleet-${randomBytes(4).toString('hex')}`;
    expect((await jsonRequest(a.baseUrl, 'POST', '/api/v1/queues', adminToken, { slug, name: 'Fleet test', quorum: QUORUM })).status).toBe(201);
    const clinician = await createUser(b, 'clinician');
    const caseId = await openCase(b, await login(b, clinician.email, clinician.password), slug);
    const reviewers = [];
    for (let i = 0; i < REVIEWERS; i++) {
      const on = i % 2 ? a : b;
      const reviewer = await createUser(on, 'reviewer', [slug]);
      reviewers.push({ on, token: await login(on, reviewer.email, reviewer.password) });
    }

    const claims = await Promise.all(reviewers.map(({ on, token }) => jsonRequest<{ id?: string }>(on.baseUrl, 'POST', `/api/v1/queues/${slug}/claim`, token)));
    const holders = claims.filter((res) => res.status === 200);
    expect(holders).toHaveLength(QUORUM);
    expect(holders.every((res) => res.body.id === caseId)).toBe(true);
    expect(claims.filter((res) => res.status === 204)).toHaveLength(REVIEWERS - QUORUM);
    const row = await sql.query<{ holders: number; status: string }>('select holders::int as holders, status from cases where id = $1', [caseId]);
    expect(row.rows[0]).toEqual({ holders: QUORUM, status: 'in_review' });
    const held = await sql.query<{ n: number }>('select count(*)::int as n from claims where case_id = $1', [caseId]);
    expect(held.rows[0]!.n).toBe(QUORUM);
  });

  it('throttles wrong passwords for one account across both instances', async () => {
    const user = await createUser(a, 'clinician');
    const attempts = [];
    // LOGIN_FAILURES_PER_ACCOUNT is 4: four wrong passwords, two on each instance, then the fifth is refused.
    for (let i = 0; i < 4; i++) {
      attempts.push((await jsonRequest((i % 2 ? a : b).baseUrl, 'POST', '/api/v1/auth/login', undefined, { email: user.email, password: 'a-wrong-password-long' })).status);
    }
    expect(attempts).toEqual([401, 401, 401, 401]);
    expect((await jsonRequest(b.baseUrl, 'POST', '/api/v1/auth/login', undefined, { email: user.email, password: user.password })).status).toBe(429);
    expect((await jsonRequest(a.baseUrl, 'POST', '/api/v1/auth/login', undefined, { email: user.email, password: user.password })).status).toBe(429);
  });

  it('never takes a follow-up link past its allowance with uploads on both instances at once', async () => {
    const clinician = await createUser(a, 'clinician');
    const token = await login(a, clinician.email, clinician.password);
    const caseId = await openCase(a, token, 'general');
    const link = await jsonRequest<{ token: string }>(a.baseUrl, 'POST', `/api/v1/cases/${caseId}/follow-up-links`, token, { maxPhotos: 2 });
    expect(link.status).toBe(201);
    // Two uploads of two photos each, one per instance: only one fits.
    const statuses = await Promise.all([sendFollowUp(a, link.body.token, 2), sendFollowUp(b, link.body.token, 2)]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    const received = await sql.query<{ n: number }>("select count(*)::int as n from photos where case_id = $1 and kind = 'followup'", [caseId]);
    expect(received.rows[0]!.n).toBe(2);
    const counted = await sql.query<{ photos_received: number }>('select photos_received::int as photos_received from follow_up_links where case_id = $1', [caseId]);
    expect(counted.rows[0]!.photos_received).toBe(2);
  });

  it('delivers each event to a webhook once with changes on both instances, and streams a change on A to a reviewer on B', async () => {
    const secret = 'two-instances-webhook-secret';
    const receiver = await startWebhookReceiver(secret);
    try {
      const hook = await jsonRequest<{ id: string }>(b.baseUrl, 'POST', '/api/v1/webhooks', adminToken, { url: receiver.url, events: ['case.created'], secret });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const reviewer = await createUser(a, 'reviewer', ['general']);
      const stream = await openEventStream(b.baseUrl, await login(b, reviewer.email, reviewer.password));
      expect(stream.status).toBe(200);
      const clinician = await createUser(a, 'clinician');
      const token = await login(a, clinician.email, clinician.password);

      // Opened at once, three through each instance: both dispatchers race for the same events.
      const caseIds = await Promise.all(Array.from({ length: 6 }, (_, i) => openCase(i % 2 ? a : b, token, 'general')));
      const onA = await stream.next((e) => e.event === 'case.created' && e.data.caseId === caseIds[1], 10_000);
      expect(onA.id).toMatch(/^\d+$/);
      stream.close();

      // Every delivery logged as done, then one more change delivered: both dispatchers have had passes
      // since the six, and a copy would have gone out by then.
      const allDelivered = async (count: number) => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const log = await jsonRequest<{ items: { status: string; attempts: number }[] }>(a.baseUrl, 'GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, adminToken);
          if (log.body.items.length === count && log.body.items.every((d) => d.status === 'delivered')) return log.body.items;
          if (Date.now() > deadline) throw new Error(`deliveries not all done: ${JSON.stringify(log.body.items)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      await allDelivered(caseIds.length);
      const marker = await openCase(a, token, 'general');
      expect((await allDelivered(caseIds.length + 1)).map((d) => d.attempts)).toEqual(Array(caseIds.length + 1).fill(1));
      const byId = new Map<string, string>();
      for (const r of receiver.received) {
        expect(r.signatureValid).toBe(true);
        expect(byId.has(r.id), `X-Webhook-Id ${r.id} received twice`).toBe(false);
        byId.set(r.id, (JSON.parse(r.body) as { data: { caseId: string } }).data.caseId);
      }
      expect([...byId.values()].sort()).toEqual([...caseIds, marker].sort());
      expect(receiver.delivered()).toHaveLength(caseIds.length + 1);
    } finally {
      await receiver.close();
    }
  });

  it('keeps serving on one instance when the other is killed mid-upload, with no row missing its objects', async () => {
    const clinician = await createUser(b, 'clinician');
    const tokenOnA = await login(a, clinician.email, clinician.password);
    // Killed while a three-photo upload is on its way in: A has started on it, the rest of the body is unsent.
    const upload = slowPostCase(a.baseUrl, tokenOnA, [LARGER_PHOTO, PHOTO, LARGER_PHOTO], 400_000);
    const lost = upload.response.then(
      (res) => res.status,
      () => 'connection lost' as const,
    );
    await a.waitForOutput(/"method":"POST","url":"\/api\/v1\/cases"/);
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    upload.finish();
    expect(await lost).toBe('connection lost');

    // B answers and takes new cases with the same token.
    expect((await fetch(`${b.baseUrl}/readyz`)).status).toBe(200);
    const caseId = await openCase(b, tokenOnA, 'general');
    expect(caseId).toMatch(/\S/);

    const keys = await bucketKeys();
    const photos = await sql.query<{ object_key: string; thumb_key: string; display_key: string | null }>('select object_key, thumb_key, display_key from photos');
    expect(photos.rows.length).toBeGreaterThan(0);
    for (const row of photos.rows) {
      expect(keys.has(row.object_key), row.object_key).toBe(true);
      expect(keys.has(row.thumb_key), row.thumb_key).toBe(true);
      if (row.display_key !== null) expect(keys.has(row.display_key), row.display_key).toBe(true);
    }
    const cases = await sql.query<{ n: number }>('select count(*)::int as n from cases c where not exists (select 1 from photos p where p.case_id = c.id)');
    expect(cases.rows[0]!.n).toBe(0);
  });
});
