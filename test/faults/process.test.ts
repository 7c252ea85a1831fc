// The real server process (src/server.ts) killed with SIGKILL during uploads and restarted, and
// stopped with SIGTERM while an upload is in flight.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  LARGER_PHOTO,
  PHOTO,
  ageEmbeddedObject,
  clinicianOf,
  listKeys,
  postCase,
  readRows,
  slowPostCase,
  startServer,
  tempDataDir,
  withEmbeddedStore,
  type ServerProcess,
} from './support.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, env: Record<string, string> = {}) {
  const server = await startServer(dataDir, env);
  servers.push(server);
  return server;
}

function runReconcileScript(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, MINIO_ENDPOINT: '', LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every photo row's object, thumbnail and display copy exists, and every case has its photos. */
function expectNoOrphanRows(rows: ReturnType<typeof readRows>, keys: string[]) {
  const present = new Set(keys);
  for (const photo of rows.photos) {
    expect(present.has(photo.object_key), `object of photo ${photo.id}`).toBe(true);
    expect(present.has(photo.thumb_key), `thumbnail of photo ${photo.id}`).toBe(true);
    if (photo.display_key !== null) expect(present.has(photo.display_key), `display copy of photo ${photo.id}`).toBe(true);
  }
  const withPhotos = new Set(rows.photos.map((p) => p.case_id));
  for (const c of rows.cases) expect(withPhotos.has(c.id), `photos of case ${c.id}`).toBe(true);
  expect(rows.integrity).toBe('ok');
}

describe('SIGKILL during uploads, then restart', () => {
  it('leaves no orphan rows; orphan objects are swept at start once old enough, and by npm run reconcile', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    // Two orphans planted beforehand: one will be aged as if a crash long ago had left it, the other
    // stays young, like the object of an upload in flight.
    await withEmbeddedStore(dataDir, async (store) => {
      await store.put('photos/old-orphan', PHOTO, 'image/jpeg');
      await store.put('thumbs/young-orphan', PHOTO, 'image/jpeg');
    });
    const first = await start(dataDir);
    const token = await clinicianOf(first.baseUrl);
    const done = await postCase(first.baseUrl, token, [PHOTO]);
    expect(done.status).toBe(201);

    // Several multi-photo uploads in flight; the process dies under them once the first is answered.
    const inFlight = Array.from({ length: 6 }, (_, i) => postCase(first.baseUrl, token, i % 2 ? [PHOTO, LARGER_PHOTO] : [LARGER_PHOTO, PHOTO, PHOTO]).catch(() => null));
    await Promise.race([...inFlight, new Promise((r) => setTimeout(r, 1500))]);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await Promise.all(inFlight);

    ageEmbeddedObject(dataDir, 'photos/old-orphan', 60 * 60_000);

    // Restart on the same DATA_DIR: the sweep at start removes only what is older than the grace period.
    const second = await start(dataDir);
    await second.waitForOutput(/orphan photo objects found|object store reconciled/);
    expect((await postCase(second.baseUrl, token, [PHOTO])).status).toBe(201);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    let keys = await withEmbeddedStore(dataDir, listKeys);
    expect(keys).not.toContain('photos/old-orphan');
    expect(keys).toContain('thumbs/young-orphan');
    expectNoOrphanRows(readRows(dataDir), keys);

    // The script with no grace period removes every object without a row, and nothing else.
    const dry = await runReconcileScript(dataDir, ['--grace-minutes', '0', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const dryReport = JSON.parse(dry.stdout) as { orphans: number; removed: number };
    expect(dryReport.orphans).toBeGreaterThanOrEqual(1);
    expect(dryReport.removed).toBe(0);
    const run = await runReconcileScript(dataDir, ['--grace-minutes=0']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ orphans: dryReport.orphans, removed: dryReport.orphans });

    keys = await withEmbeddedStore(dataDir, listKeys);
    const rows = readRows(dataDir);
    expectNoOrphanRows(rows, keys);
    const referenced = new Set(rows.photos.flatMap((p) => [p.object_key, p.thumb_key, p.display_key]));
    expect(keys.filter((k) => !referenced.has(k))).toEqual([]);
    expect(rows.photos.length).toBeGreaterThanOrEqual(2);
    // Two server starts and two script runs, each a fresh Node process: slow on a busy machine.
  }, 120_000);
});

describe('graceful shutdown', () => {
  it('finishes an upload in flight when SIGTERM arrives, refuses new work, and exits 0', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const server = await start(dataDir);
    const token = await clinicianOf(server.baseUrl);

    // Half of the body is on the wire when the signal arrives; the rest follows after it.
    const upload = slowPostCase(server.baseUrl, token, [LARGER_PHOTO, PHOTO], 400_000);
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await server.waitForOutput(/shutting down/);
    const late = await postCase(server.baseUrl, token, [PHOTO]).catch(() => null);
    expect(late === null || late.status === 503).toBe(true);
    upload.finish();

    const res = await upload.response;
    expect(res.status).toBe(201);
    expect((res.body.photos as unknown[]).length).toBe(2);
    const exit = await server.exited;
    expect(exit.code).toBe(0);

    const rows = readRows(dataDir);
    expect(rows.cases.map((c) => c.id)).toContain(res.body.id);
    expectNoOrphanRows(rows, await withEmbeddedStore(dataDir, listKeys));
  }, 60_000);
});

/** The pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

describe('npm start under a supervisor', () => {
  it('passes SIGTERM sent to npm alone on to the service, which finishes its upload, and leaves no process behind', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const server = await startServer(dataDir, {}, { viaNpm: true });
    servers.push(server);
    const service = childrenOf(server.child.pid!);
    // npm runs the service directly: no shell in between to swallow the signal.
    expect(service).toHaveLength(1);
    expect(fs.readFileSync(`/proc/${service[0]}/cmdline`, 'utf8')).toContain('src/server.ts');
    const token = await clinicianOf(server.baseUrl);

    const upload = slowPostCase(server.baseUrl, token, [LARGER_PHOTO, PHOTO], 400_000);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(server.child.pid!, 'SIGTERM'); // npm only, as a supervisor stopping a service does
    await server.waitForOutput(/shutting down/);
    upload.finish();
    expect((await upload.response).status).toBe(201);
    const exit = await server.exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    for (let i = 0; i < 50 && alive(service[0]!); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(service[0]!)).toBe(false);
  }, 60_000);
});
