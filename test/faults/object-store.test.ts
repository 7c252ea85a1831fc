// The object store breaks: unreachable from the start, or gone in the middle of a multi-photo upload.
// Either way the clinician gets a clear 503 and nothing is half-stored: no case, no photo rows, and
// any object that did land is an orphan that the reconcile sweep removes.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterEach, describe, expect, it } from 'vitest';
import { openObjectStore, type ObjectStore } from '../../src/storage/object-store.js';
import { reconcileObjects } from '../../src/storage/reconcile.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, postCase } from '../helpers/cases.js';
import { freePort } from '../helpers/ports.js';
import { listKeys, silentLog } from './support.js';

const PHOTOS = ['real/DSCN0010.jpg', 'real/DSCN0012.jpg', 'real/nikon-e950.jpg', 'real/jolla.jpg'];

let t: TestApp | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP relay in front of a server, which can be cut (every connection reset) and restored. */
async function relayTo(targetPort: number) {
  const sockets = new Set<net.Socket>();
  const port = await freePort();
  let server: net.Server | null = null;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await open();
  return {
    port,
    async cut() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.resetAndDestroy();
      await closed;
    },
    restore: open,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}

describe('object store unreachable at start', () => {
  it('starts anyway, reports not ready, and refuses uploads with 503 STORAGE_UNAVAILABLE leaving no rows', async () => {
    const deadPort = await freePort(); // nothing listens there
    t = await startTestApp({ MINIO_ENDPOINT: '127.0.0.1', MINIO_PORT: String(deadPort), MINIO_ACCESS_KEY: 'k', MINIO_SECRET_KEY: 'secret-key' });

    expect((await t.http.get('/healthz')).status).toBe(200);
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', database: true, objectStore: false });

    const clinician = await t.createUser('clinician');
    const res = await postCase(t, clinician.token, PHOTOS.slice(0, 2));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE', requestId: expect.any(String) });
    expect(res.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
    expect(await countRows(t, 'cases')).toBe(0);
    expect(await countRows(t, 'photos')).toBe(0);
  });
});

describe('object store failing in the middle of a multi-photo upload', () => {
  it('answers 503, commits no rows, and leaves only orphans that reconcile removes; then recovers', async () => {
    // A second S3 endpoint of our own, reached through a relay that we cut mid-upload.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-s3-'));
    const s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true });
    const { port: s3Port } = await s3.run();
    const relay = await relayTo(s3Port);
    cleanups.push(async () => {
      await relay.close();
      await s3.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const minio = { endPoint: '127.0.0.1', port: relay.port, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };
    const real = await openObjectStore({ minio, bucket: 'photos', dataDir: dir }, silentLog);
    cleanups.push(() => real.close());

    // The store cuts the connection as soon as the first object of the upload has landed, while the
    // other puts of the same upload are in flight.
    let cutAfterFirstPut = false;
    let puts = 0;
    const store: ObjectStore = {
      ...real,
      async put(key, body, contentType) {
        puts += 1;
        await real.put(key, body, contentType);
        if (cutAfterFirstPut) {
          cutAfterFirstPut = false;
          await relay.cut();
        }
      },
    };
    t = await startTestApp({}, { store, skipOrphanSweep: true });
    const clinician = await t.createUser('clinician');

    cutAfterFirstPut = true;
    const res = await postCase(t, clinician.token, PHOTOS);
    expect(puts).toBe(PHOTOS.length * 2 + 1); // each photo and its thumbnail; jolla.jpg, larger than 2048 px, its display copy too
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(await countRows(t, 'cases')).toBe(0);
    expect(await countRows(t, 'photos')).toBe(0);
    expect((await t.http.get('/readyz')).status).toBe(503);

    // The store comes back: what landed before the cut has no row, and the sweep removes it.
    await relay.restore();
    expect((await t.http.get('/readyz')).status).toBe(200);
    const leftovers = await listKeys(real);
    expect(leftovers.length).toBeGreaterThanOrEqual(1);
    const report = await reconcileObjects({ store: real, keyHasRow: (key) => t!.app.repos.cases.objectKeyExists(key), log: silentLog }, { graceMs: 0 });
    expect(report.removed).toBe(leftovers.length);
    expect(await listKeys(real)).toEqual([]);

    const again = await postCase(t, clinician.token, PHOTOS.slice(0, 2));
    expect(again.status).toBe(201);
    expect(await countRows(t, 'photos')).toBe(2);
    expect((await listKeys(real)).length).toBe(4);
  });
});
