// The outbox across crashes of the real server process (src/server.ts, killed with SIGKILL): an event whose
// webhook delivery had not gone through when the process died is delivered after the restart, exactly once,
// and one delivered before a crash is not delivered again. Real time runs here (a child process cannot be
// handed a test clock), so every wait is a poll with a deadline. On the postgres-rgw project the database is
// PostgreSQL; the photos stay in the embedded store, which plays no part in this.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, backends } from '../helpers/app.js';
import { CASE_INPUT } from '../helpers/cases.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { jsonRequest, PHOTO, startServer, tempDataDir, type ServerProcess } from './support.js';

const SECRET = 'crash-test-webhook-secret-0123';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
const receivers: WebhookReceiver[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  for (const receiver of receivers.splice(0)) await receiver.close();
  for (const database of databases.splice(0)) await database.drop();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** DATA_DIR (and, on PostgreSQL, DATABASE_URL) that every start of the test's server shares. */
async function storage(): Promise<{ dataDir: string; env: Record<string, string> }> {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  if (!backends.postgres) return { dataDir, env: {} };
  const database = await createTestDatabase(backends.postgres.adminUrl);
  databases.push(database);
  return { dataDir, env: { DATABASE_URL: database.url } };
}

async function start(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer(dataDir, env);
  servers.push(server);
  return server;
}

async function kill(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  expect((await server.exited).signal).toBe('SIGKILL');
}

async function login(server: ServerProcess, email: string, password: string): Promise<string> {
  const res = await jsonRequest<{ token: string }>(server.baseUrl, 'POST', '/api/v1/auth/login', undefined, { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token;
}

async function openCase(server: ServerProcess, token: string): Promise<string> {
  const form = new FormData();
  form.append('case', JSON.stringify(CASE_INPUT));
  form.append('photos', new Blob([new Uint8Array(PHOTO)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${server.baseUrl}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

interface Delivery {
  eventId: string;
  status: string;
  attempts: number;
}

/** Polls the delivery log until `done` holds for it. */
async function logUntil(server: ServerProcess, token: string, hookId: string, done: (items: Delivery[]) => boolean, what: string, timeoutMs = 15_000): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await jsonRequest<{ items: Delivery[] }>(server.baseUrl, 'GET', `/api/v1/webhooks/${hookId}/deliveries`, token);
    expect(res.status).toBe(200);
    if (done(res.body.items)) return res.body.items;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(res.body.items)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many times the receiver got each event (by X-Webhook-Id). */
function copiesById(receiver: WebhookReceiver): Record<string, number> {
  const copies: Record<string, number> = {};
  for (const r of receiver.received) copies[r.id] = (copies[r.id] ?? 0) + 1;
  return copies;
}

/** The X-Webhook-Id of the case's event, once the receiver has it. */
async function receivedFor(receiver: WebhookReceiver, caseId: string, timeoutMs = 15_000): Promise<{ id: string; receivedAt: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = receiver.received.find((r) => (JSON.parse(r.body) as { data: { caseId: string } }).data.caseId === caseId);
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`the receiver did not get the event of case ${caseId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the outbox across SIGKILL', () => {
  it('delivers an event whose receiver was down at the crash once after the restart, and never again one already delivered', async () => {
    const { dataDir, env } = await storage();
    const receiver = await startWebhookReceiver(SECRET, { listening: false });
    receivers.push(receiver);

    const first = await start(dataDir, env);
    const admin = await login(first, ADMIN.email, ADMIN.password);
    const hook = await jsonRequest<{ id: string }>(first.baseUrl, 'POST', '/api/v1/webhooks', admin, { url: receiver.url, events: ['case.created'], secret: SECRET });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const email = `crash-${randomBytes(4).toString('hex')}@clinic.test`;
    const password = 'clinician-password-long';
    expect((await jsonRequest(first.baseUrl, 'POST', '/api/v1/users', admin, { email, password, role: 'clinician', name: 'Dr Crash' })).status).toBe(201);
    const clinician = await login(first, email, password);

    // The receiver is not listening: the first attempt fails and a retry is due in 5 s when the process dies.
    const lostCase = await openCase(first, clinician);
    await logUntil(first, admin, hook.body.id, (items) => items[0]?.attempts === 1, 'the first attempt has failed');
    await kill(first);

    await receiver.listen();
    const second = await start(dataDir, env);
    const lost = await receivedFor(receiver, lostCase);
    await logUntil(second, admin, hook.body.id, (items) => items[0]?.status === 'delivered', 'the log says delivered');
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);

    // A later change delivered means dispatch passes ran after the recovered one; the latency is that of a
    // change on a running server.
    const sent = Date.now();
    const laterCase = await openCase(second, clinician);
    const later = await receivedFor(receiver, laterCase);
    console.log(`webhook latency on the real server (POST /cases sent -> receiver got the event): ${later.receivedAt - sent} ms`);
    await logUntil(second, admin, hook.body.id, (items) => items.length === 2 && items.every((d) => d.status === 'delivered'), 'both are delivered');
    await kill(second);

    // Killed after both were delivered: a third start sends neither again.
    const third = await start(dataDir, env);
    const marker = await receivedFor(receiver, await openCase(third, clinician));
    const log = await logUntil(third, admin, hook.body.id, (items) => items.length === 3 && items.every((d) => d.status === 'delivered'), 'all three are delivered');
    expect(copiesById(receiver)).toEqual({ [lost.id]: 1, [later.id]: 1, [marker.id]: 1 });
    expect(log.map((d) => d.attempts).sort()).toEqual([1, 1, 2]);
    expect(new Set([lost.id, later.id, marker.id]).size).toBe(3);
    // Three server processes start in turn (each builds its web assets): on a loaded CI machine that alone took
    // most of a minute.
  }, 180_000);
});
