// The service under test: `src/server.ts` as a child process with embedded defaults in a temporary
// DATA_DIR (so that its RSS can be read from /proc), and a small HTTP client for it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchPhoto } from './bare.js';
import { send } from './http-client.js';
import { median, runAtConcurrency, type RunResult } from './stats.js';
import { freePort } from '../../test/helpers/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_ADMIN = { email: 'bench-admin@clinic.test', password: 'bench-admin-password' };

export interface RunningService {
  baseUrl: string;
  pid: number;
  dataDir: string;
  logFile: string;
  child: ChildProcess;
  /**
   * Current resident set size in MiB (VmRSS) of the service and its child processes (the djpeg and
   * jpegtran it runs for JPEGs), or NaN when /proc is not there.
   */
  rssMb(): number;
  /** The same, split into the service's own process and its descendants. */
  rss(): RssSample;
  /** Peak resident set size of the service's own process since it started (VmHWM), in MiB. */
  peakRssMb(): number;
  stop(): Promise<number | null>;
}


function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The process's children, from each of its threads' list (a child belongs to the thread that spawned it). */
function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
      } catch {
        return []; // the thread or process has just ended
      }
    });
  } catch {
    return [];
  }
}

export interface RssSample {
  /** VmRSS of the process and its descendants, in MiB. */
  totalMb: number;
  ownMb: number;
  descendantsMb: number;
  descendants: number;
}

/** VmRSS of the process and all its descendants; a descendant that ends meanwhile counts as nothing. */
function treeRss(pid: number): RssSample {
  const ownMb = procStatusMb(pid, 'VmRSS');
  let descendantsMb = 0;
  let descendants = 0;
  const pending = Number.isNaN(ownMb) ? [] : childrenOf(pid);
  for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
    const rss = procStatusMb(child, 'VmRSS');
    if (!Number.isNaN(rss)) {
      descendantsMb += rss;
      descendants += 1;
    }
    pending.push(...childrenOf(child));
  }
  return { totalMb: ownMb + descendantsMb, ownMb, descendantsMb, descendants };
}

/** As in package.json's `start`; README.md (Operations) says why. */
export const SERVICE_NODE_FLAGS = ['--single-threaded-gc'];

export async function startService(extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-bench-'));
  const port = await freePort();
  const logFile = path.join(dataDir, 'service.log');
  const log = fs.openSync(logFile, 'a');
  // The node flags and allocator settings of `npm start` (package.json), so that the service is measured as it runs.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'info',
      MINIO_ENDPOINT: '',
      // As `npm start` runs it: fewer glibc arenas keep libvips' threads from fragmenting memory, and
      // buffers of 1 MB and more (pixels, photos) go back to the system as soon as they are freed.
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '1048576',
      ...extraEnv,
    },
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited during start (code ${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not become ready within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    pid: child.pid!,
    dataDir,
    logFile,
    child,
    rssMb: () => treeRss(child.pid!).totalMb,
    rss: () => treeRss(child.pid!),
    peakRssMb: () => procStatusMb(child.pid!, 'VmHWM'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function api<T = unknown>(service: RunningService, method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${service.baseUrl}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function login(service: RunningService, email: string, password: string): Promise<string> {
  const res = await api<{ token: string }>(service, 'POST', '/api/v1/auth/login', undefined, { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.body.token;
}

/** A clinician to upload as (created through the API, as a clinic would). */
export async function clinicianToken(service: RunningService): Promise<{ token: string; userId: string }> {
  const admin = await login(service, BENCH_ADMIN.email, BENCH_ADMIN.password);
  const email = 'bench-clinician@clinic.test';
  const password = 'bench-clinician-password';
  const created = await api<{ id: string }>(service, 'POST', '/api/v1/users', admin, { email, password, role: 'clinician', name: 'Bench Clinician' });
  if (created.status !== 201) throw new Error(`could not create the clinician: ${created.status}`);
  return { token: await login(service, email, password), userId: created.body.id };
}

const CASE_JSON = JSON.stringify({
  patientRef: 'BENCH-1',
  ageYears: 44,
  sex: 'female',
  fitzpatrick: 3,
  bodySite: 'left forearm',
  durationDays: 30,
  history: 'Scaly plaque for a month.',
  question: 'Psoriasis or eczema?',
  urgency: 'routine',
  queue: 'general',
});

const BOUNDARY = '----derm-bench-boundary-7f3a9c';
const bodies = new WeakMap<BenchPhoto, Uint8Array<ArrayBuffer>>();

/**
 * The multipart body the web app sends for one case with one photo, built once per photo: the load
 * client shares the cores with the service, so it should spend them on sending, not on encoding forms.
 */
function uploadBody(photo: BenchPhoto): Uint8Array<ArrayBuffer> {
  let body = bodies.get(photo);
  if (!body) {
    const type = photo.heic ? 'image/heic' : 'image/jpeg';
    body = new Uint8Array(Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="case"\r\n\r\n${CASE_JSON}\r\n`),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="${photo.heic ? 'IMG.HEIC' : 'IMG.JPG'}"\r\nContent-Type: ${type}\r\n\r\n`),
      photo.bytes,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]));
    bodies.set(photo, body);
  }
  return body;
}

/** `receive;dur=12.3, sanitize;dur=140.1` -> { receive: 12.3, sanitize: 140.1 } */
export function parseServerTiming(header: string | null): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(entry);
    if (match) phases[match[1]!] = Number(match[2]);
  }
  return phases;
}

/** What the service answered about the photo of an upload (POST /api/v1/cases, `photos[0]`). */
export interface StoredPhoto {
  id: string;
  /** Bytes of the stored image. */
  bytes: number;
  encoding: 'lossless' | 'reencoded';
}

export interface UploadResponse {
  /** The service's Server-Timing phases, in ms. */
  phases: Record<string, number>;
  photo: StoredPhoto;
}

/** One case with one photo; resolves on 201, throws otherwise. */
export async function uploadPhoto(service: RunningService, token: string, photo: BenchPhoto): Promise<UploadResponse> {
  const res = await send(service.baseUrl, 'POST', '/api/v1/cases', { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, uploadBody(photo));
  if (res.status !== 201) {
    let code = '';
    try {
      code = (JSON.parse(res.body.toString()) as { code?: string }).code ?? '';
    } catch {
      // not JSON
    }
    throw new Error(`HTTP ${res.status} ${code}`.trim());
  }
  const stored = (JSON.parse(res.body.toString()) as { photos?: StoredPhoto[] }).photos?.[0];
  if (!stored) throw new Error('HTTP 201 without a photo');
  const timing = res.headers['server-timing'];
  return { phases: parseServerTiming(typeof timing === 'string' ? timing : null), photo: { id: stored.id, bytes: stored.bytes, encoding: stored.encoding } };
}

export interface UploadRunResult extends RunResult {
  /** Median milliseconds of each Server-Timing phase over the successful uploads. */
  phaseP50Ms: Record<string, number>;
}

/**
 * An upload job for the runners in stats.ts that also collects the Server-Timing phases of its uploads
 * and how the service stored their photos.
 */
export function uploadJob(service: RunningService, token: string, photos: readonly BenchPhoto[]) {
  const samples = new Map<string, number[]>();
  const encodings = { lossless: 0, reencoded: 0 };
  return {
    run: async (i: number) => {
      const { phases, photo } = await uploadPhoto(service, token, photos[i % photos.length]!);
      for (const [name, ms] of Object.entries(phases)) samples.set(name, [...(samples.get(name) ?? []), ms]);
      encodings[photo.encoding] += 1;
    },
    phaseP50Ms(): Record<string, number> {
      return Object.fromEntries([...samples].map(([name, values]) => [name, median([...values].sort((a, b) => a - b))]));
    },
    /** The share of the successful uploads stored as the upload's own JPEG data, or NaN before any. */
    losslessShare(): number {
      return encodings.lossless / (encodings.lossless + encodings.reencoded);
    },
  };
}

export async function runUploads(service: RunningService, token: string, photos: readonly BenchPhoto[], count: number, concurrency: number): Promise<UploadRunResult> {
  const job = uploadJob(service, token, photos);
  const result = await runAtConcurrency(count, concurrency, job.run);
  return { ...result, phaseP50Ms: job.phaseP50Ms() };
}

/** Samples the service's RSS, its children's included, every `everyMs` until stopped; returns the highest sample. */
export function sampleRss(service: RunningService, everyMs = 25): { stop(): RssSample } {
  let peak = service.rss();
  const sample = () => {
    const now = service.rss();
    if (now.totalMb > peak.totalMb) peak = now;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
