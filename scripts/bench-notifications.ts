// Delivery latency of notifications: the service as `npm start` builds it, a real SMTP server (smtp-server)
// and a webhook receiver on this machine, and a reviewer's live event stream. For each new case, the time
// from the moment its 201 arrives (the change committed) to: the case.created event on the stream, the
// new-case email accepted by the SMTP server, the webhook received. Prints progress on stderr and, as the
// last stdout line, one JSON object with the medians, p95 and maxima.
//
//   npm run bench:notifications [-- --cases 30]
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loggerOptions } from '../src/logger.js';
import { percentile } from '../test/helpers/percentile.js';

const CASES = Number(process.argv[process.argv.indexOf('--cases') + 1]) || 30;
const progress = (line: string) => process.stderr.write(`[bench:notifications] ${line}\n`);
const ADMIN = { email: 'bench-admin@clinic.test', password: 'bench-admin-passphrase' };
const REVIEWER = { email: 'bench-reviewer@clinic.test', password: 'bench-reviewer-passphrase', name: 'Dr Bench', role: 'reviewer', queues: ['general'] };
const CLINICIAN = { email: 'bench-clinician@clinic.test', password: 'bench-clinician-passphrase', name: 'Nurse Bench', role: 'clinician' };

/** When each case id was first seen by each channel (performance.now()). */
const seen = { stream: new Map<string, number>(), email: new Map<string, number>(), webhook: new Map<string, number>() };

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, done) {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => {
      const at = performance.now();
      // The link in the email names the case.
      for (const m of Buffer.concat(parts).toString('latin1').replace(/=\r?\n/g, '').matchAll(/#\/cases\/([A-Za-z0-9_-]{22})/g)) if (!seen.email.has(m[1]!)) seen.email.set(m[1]!, at);
      done();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const receiver = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString()) as { data: { caseId: string } };
    if (!seen.webhook.has(body.data.caseId)) seen.webhook.set(body.data.caseId, performance.now());
    res.end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-bench-notify-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  LOG_LEVEL: 'warn',
  SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
});
const app = await buildApp(config, { loggerInstance: pino(loggerOptions(config.logLevel) as pino.LoggerOptions, pino.destination(2)) });
await app.listen({ host: config.host, port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

async function call<T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(base + url, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? null : await res.json()) as T;
}
const login = async (a: { email: string; password: string }) => (await call<{ token: string }>('POST', '/api/v1/auth/login', null, { email: a.email, password: a.password })).token;

try {
  const admin = await login(ADMIN);
  await call('POST', '/api/v1/users', admin, REVIEWER);
  await call('POST', '/api/v1/users', admin, CLINICIAN);
  await call('POST', '/api/v1/webhooks', admin, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['case.created'], secret: 'bench-secret-0123456789' });
  const [reviewer, clinician] = [await login(REVIEWER), await login(CLINICIAN)];

  // The reviewer's live stream, read as the web app reads it.
  const stream = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${reviewer}` } });
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      const at = performance.now();
      for (const m of decoder.decode(chunk, { stream: true }).matchAll(/event: case\.created\ndata: .*?"caseId":"([^"]+)"/g)) seen.stream.set(m[1]!, at);
    }
  })().catch(() => undefined);

  const photo = fs.readFileSync(path.resolve(import.meta.dirname, '../../shared/fixtures/orient-1.jpg'));
  const committed = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const form = new FormData();
    form.set('case', JSON.stringify({ patientRef: `BENCH-${i}`, ageYears: 40, sex: 'female', bodySite: 'forearm', history: 'Bench case.', question: 'Bench?', urgency: 'routine', queue: 'general' }));
    form.append('photos', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`${base}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${clinician}` }, body: form });
    const at = performance.now();
    if (res.status !== 201) throw new Error(`case ${i}: ${res.status}`);
    committed.set(((await res.json()) as { id: string }).id, at);
    // One case at a time, as a clinic sends them: each measured on a quiet service.
    const deadline = performance.now() + 30_000;
    const id = [...committed.keys()].at(-1)!;
    while (!(seen.stream.has(id) && seen.email.has(id) && seen.webhook.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    progress(`case ${i + 1}/${CASES}`);
  }

  const figures = Object.fromEntries(
    (Object.keys(seen) as (keyof typeof seen)[]).map((channel) => {
      const waits = [...committed].map(([id, at]) => (seen[channel].get(id) ?? Number.NaN) - at).filter(Number.isFinite).sort((a, b) => a - b);
      const round = (x: number | null) => (x === null ? null : Math.round(x));
      return [channel, { received: waits.length, of: CASES, medianMs: round(percentile(waits, 0.5)), p95Ms: round(percentile(waits, 0.95)), maxMs: round(waits.at(-1) ?? null) }];
    }),
  );
  process.stdout.write(`${JSON.stringify({ cases: CASES, machine: `${os.cpus().length} cores`, ...figures })}\n`);
} finally {
  await app.close();
  smtp.close();
  receiver.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
