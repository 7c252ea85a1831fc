// Helpers for the fault tests: the real server as a child process (so that it can be killed or
// signalled), a multipart body that can be sent slowly, and direct views of the stored state.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { openObjectStore, type ObjectStore } from '../../src/storage/object-store.js';
import { CASE_INPUT } from '../helpers/cases.js';
import { ADMIN } from '../helpers/app.js';
import { FIXTURES_DIR } from '../helpers/images.js';
import { freePort } from '../helpers/ports.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PHOTO = fs.readFileSync(path.join(FIXTURES_DIR, 'real/DSCN0010.jpg'));
export const LARGER_PHOTO = fs.readFileSync(path.join(FIXTURES_DIR, 'real/jolla.jpg'));


export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'derm-fault-'));
}


export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  /** Everything the process wrote so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a line matching the pattern has been written. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * `node --import tsx src/server.ts` on the given DATA_DIR (or, with `viaNpm`, `npm start` as an operator
 * runs it), resolved once /readyz answers 200.
 */
export async function startServer(dataDir: string, env: Record<string, string> = {}, options: { viaNpm?: boolean } = {}): Promise<ServerProcess> {
  const port = await freePort();
  let output = '';
  const [command, args] = options.viaNpm ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'src/server.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      // These tests are about crashes, not load shedding: a busy machine must not turn into 503s here.
      OVERLOAD_EVENT_LOOP_DELAY_MS: '60000',
      LOG_LEVEL: 'info',
      MINIO_ENDPOINT: '',
      ...env,
    },
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    child,
    baseUrl,
    port,
    output: () => output,
    exited,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${output}`);
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Leave nothing running behind a failed start (npm forwards SIGTERM to the server it started).
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!stopped) child.kill('SIGKILL');
      throw new Error(`the server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function jsonRequest<T = Record<string, unknown>>(baseUrl: string, method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A clinician (created through the API) and their token. */
export async function clinicianOf(baseUrl: string): Promise<string> {
  const admin = await jsonRequest<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', undefined, ADMIN);
  const email = `clinician-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@clinic.test`;
  const password = 'clinician-password-long';
  const created = await jsonRequest(baseUrl, 'POST', '/api/v1/users', admin.body.token, { email, password, role: 'clinician', name: 'Fault Clinician' });
  if (created.status !== 201) throw new Error(`could not create a clinician: ${created.status}`);
  return (await jsonRequest<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', undefined, { email, password })).body.token;
}

/** The multipart body of POST /api/v1/cases with the given photos. */
export function caseForm(photos: Buffer[]): { body: Buffer; contentType: string } {
  const boundary = `----fault-test-${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="case"\r\n\r\n${JSON.stringify(CASE_INPUT)}\r\n`)];
  photos.forEach((photo, i) => {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="photos"; filename="p${i}.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`), photo, Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function postCase(baseUrl: string, token: string, photos: Buffer[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = caseForm(photos);
  const res = await fetch(`${baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType },
    body: new Uint8Array(form.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Sends a case upload over a raw HTTP request: the first `splitAt` bytes now, the rest when the
 * returned `finish()` is called. Resolves `response` with the status and body.
 */
export function slowPostCase(baseUrl: string, token: string, photos: Buffer[], splitAt: number) {
  const form = caseForm(photos);
  const url = new URL('/api/v1/cases', baseUrl);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType, 'content-length': form.body.length },
  });
  const response = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
  });
  req.write(form.body.subarray(0, splitAt));
  return {
    response,
    finish() {
      req.end(form.body.subarray(splitAt));
    },
  };
}

/** Rows of the service's database, read directly from its file. */
export interface PhotoObjectsRow {
  id: string;
  case_id: string;
  object_key: string;
  thumb_key: string;
  display_key: string | null;
}

export function readRows(dataDir: string): { cases: { id: string }[]; photos: PhotoObjectsRow[]; integrity: string } {
  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
  try {
    return {
      cases: db.prepare('select id from cases').all() as { id: string }[],
      photos: db.prepare('select id, case_id, object_key, thumb_key, display_key from photos').all() as PhotoObjectsRow[],
      integrity: (db.pragma('integrity_check', { simple: true }) as string) ?? '',
    };
  } finally {
    db.close();
  }
}

export const silentLog = pino({ level: 'silent' });

/** Opens the embedded store on a DATA_DIR (the server must not be running), runs `fn`, closes it. */
export async function withEmbeddedStore<T>(dataDir: string, fn: (store: ObjectStore) => Promise<T>): Promise<T> {
  const store = await openObjectStore({ minio: null, bucket: 'photos', dataDir }, pino({ level: 'error' }, pino.destination(2)));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function listKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of store.list()) keys.push(item.key);
  return keys.sort();
}

/** Sets the modification time of an embedded object's files, to make it look old. */
export function ageEmbeddedObject(dataDir: string, key: string, ageMs: number): void {
  const name = key.split('/').pop()!;
  const dir = path.join(dataDir, 'objects', 'photos', ...key.split('/').slice(0, -1));
  const when = new Date(Date.now() - ageMs);
  let touched = 0;
  for (const file of fs.readdirSync(dir)) {
    if (file.startsWith(`${name}._S3rver_`)) {
      fs.utimesSync(path.join(dir, file), when, when);
      touched += 1;
    }
  }
  if (touched === 0) throw new Error(`no embedded object files for ${key} in ${dir}`);
}
