// The service's object store against a real S3 implementation (Ceph RADOS Gateway), not s3rver: real
// signature checks, real listing pages, a real outage. This file starts its own cluster because it stops
// and restarts the gateway, which would break every other file sharing the run's cluster.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import * as Minio from 'minio';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openObjectStore, type ObjectStore } from '../../src/storage/object-store.js';
import { rgwEnv, startRgw, type Rgw } from '../helpers/ceph-rgw.js';

const CLUSTER_TIMEOUT_MS = 60_000;
const silentLog = pino({ level: 'silent' });

let rgw: Rgw;
const openStores: ObjectStore[] = [];

beforeAll(async () => {
  rgw = await startRgw();
}, CLUSTER_TIMEOUT_MS);

afterAll(async () => {
  for (const store of openStores.splice(0)) await store.close();
  await rgw?.stop();
}, CLUSTER_TIMEOUT_MS);

async function openStore(bucket: string, overrides: Record<string, string> = {}, log: pino.Logger = silentLog): Promise<ObjectStore> {
  const store = await openObjectStore(loadConfig({ ...rgwEnv(rgw, bucket), ...overrides }), log);
  openStores.push(store);
  return store;
}

/** A client of our own, to look at the gateway past the store's interface. */
function adminClient(): Minio.Client {
  return new Minio.Client({ endPoint: rgw.endpoint, port: rgw.port, useSSL: false, accessKey: rgw.accessKey, secretKey: rgw.secretKey, region: rgw.region, pathStyle: true });
}

async function listAll(store: ObjectStore, prefix?: string) {
  const items = [];
  for await (const item of store.list(prefix)) items.push(item);
  return items;
}

/** A logger that keeps what the store logs at error level, to see why an operation failed. */
function recordingLog() {
  const lines: { msg: string; err?: { code?: string; message: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: pino({ level: 'error' }, sink), lines };
}

/** Every byte value, then random bytes: an upload that re-encodes or trims anything differs. */
function photoLikeBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  return bytes;
}

async function mapInBatches<T>(items: T[], batchSize: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += batchSize) await Promise.all(items.slice(i, i + batchSize).map(work));
}

describe('object store on Ceph RGW', () => {
  it('creates its bucket when opened', async () => {
    const admin = adminClient();
    expect(await admin.bucketExists('opened-on-start')).toBe(false);
    const store = await openStore('opened-on-start');
    expect(store.bucket).toBe('opened-on-start');
    expect(await admin.bucketExists('opened-on-start')).toBe(true);
    expect(await store.ping()).toBe(true);
    // Opening again (a second instance, a restart) finds the bucket and keeps what it holds.
    await store.put('kept', Buffer.from('still here'), 'text/plain');
    const again = await openStore('opened-on-start');
    expect((await buffer(await again.get('kept'))).toString()).toBe('still here');
  });

  it('round-trips an object byte for byte, with its size and content type, and removes it', async () => {
    const store = await openStore('round-trip');
    const admin = adminClient();
    const photo = photoLikeBytes(3 * 1024 * 1024 + 7);
    await store.put('cases/1/photo.jpg', photo, 'image/jpeg');

    const read = await buffer(await store.get('cases/1/photo.jpg'));
    expect(read.length).toBe(photo.length);
    expect(read.equals(photo)).toBe(true);
    const stat = await admin.statObject('round-trip', 'cases/1/photo.jpg');
    expect(stat.size).toBe(photo.length);
    expect(stat.metaData['content-type']).toBe('image/jpeg');

    await store.remove(['cases/1/photo.jpg', 'cases/1/never-stored.jpg']);
    await expect(store.get('cases/1/photo.jpg')).rejects.toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await expect(admin.statObject('round-trip', 'cases/1/photo.jpg')).rejects.toMatchObject({ code: 'NotFound' });
    // Removing keys that are gone is not an error (a retried clean-up).
    await expect(store.remove(['cases/1/photo.jpg'])).resolves.toBeUndefined();
  });

  it('lists by prefix, with sizes, past the 1000 keys of one listing page', async () => {
    const store = await openStore('listing');
    await store.put('cases/1/a.jpg', Buffer.alloc(11, 1), 'image/jpeg');
    await store.put('cases/1/b.jpg', Buffer.alloc(22, 2), 'image/jpeg');
    await store.put('cases/10/c.jpg', Buffer.alloc(33, 3), 'image/jpeg');
    const bulkKeys = Array.from({ length: 1005 }, (_, i) => `bulk/${String(i).padStart(4, '0')}`);
    await mapInBatches(bulkKeys, 25, (key) => store.put(key, Buffer.from(key), 'application/octet-stream'));

    const caseOne = await listAll(store, 'cases/1/');
    expect(caseOne.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'cases/1/a.jpg', size: 11 },
      { key: 'cases/1/b.jpg', size: 22 },
    ]);
    expect(caseOne.every((item) => item.lastModified instanceof Date && !Number.isNaN(item.lastModified.getTime()))).toBe(true);
    expect((await listAll(store, 'cases/')).map((item) => item.key)).toEqual(['cases/1/a.jpg', 'cases/1/b.jpg', 'cases/10/c.jpg']);
    const bulk = await listAll(store, 'bulk/');
    expect(bulk.map((item) => item.key)).toEqual(bulkKeys);
    expect(await listAll(store)).toHaveLength(1008);
    expect(await listAll(store, 'nothing-here/')).toEqual([]);
  });

  // The store itself hands out no presigned URLs (photos go through the service); these check that the
  // gateway really verifies signatures, which the wrong-key test below relies on and s3rver never did.
  it('gateway: a presigned GET works, and a tampered signature or expiry, or an expired URL, is refused 403', async () => {
    const store = await openStore('presigned');
    const admin = adminClient();
    const photo = photoLikeBytes(4096);
    await store.put('p.jpg', photo, 'image/jpeg');

    const url = new URL(await admin.presignedGetObject('presigned', 'p.jpg', 60));
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(photo)).toBe(true);

    const signature = url.searchParams.get('X-Amz-Signature')!;
    const badSignature = new URL(url);
    badSignature.searchParams.set('X-Amz-Signature', `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`);
    const longerExpiry = new URL(url);
    longerExpiry.searchParams.set('X-Amz-Expires', '604800');
    const signedTwoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const expired = new URL(await admin.presignedGetObject('presigned', 'p.jpg', 60, {}, signedTwoHoursAgo));
    const refusals: [URL, string][] = [
      [badSignature, 'SignatureDoesNotMatch'],
      [longerExpiry, 'SignatureDoesNotMatch'],
      [expired, 'AccessDenied'],
    ];
    for (const [refused, s3Code] of refusals) {
      const res = await fetch(refused);
      expect({ status: res.status, body: await res.text() }, refused.search).toMatchObject({ status: 403, body: expect.stringContaining(`<Code>${s3Code}</Code>`) });
    }
  });

  it('a store with a wrong secret key is refused (access denied), stores nothing, and reports not ready', async () => {
    const good = await openStore('wrong-key');
    const { log, lines } = recordingLog();
    const bad = await openStore('wrong-key', { MINIO_SECRET_KEY: `${rgw.secretKey}x` }, log);

    expect(await bad.ping()).toBe(false);
    await expect(bad.put('intruder.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
    await expect(bad.get('intruder.jpg')).rejects.toMatchObject({ statusCode: 503 });
    // The cause is the gateway refusing the signature (403), not an unreachable endpoint.
    expect(lines.map((line) => line.err?.code)).toEqual(['AccessDenied', 'AccessDenied']);
    expect(await listAll(good)).toEqual([]);

    // Past the store's bucket check, the gateway's own answer to a wrongly signed write.
    const wrongClient = new Minio.Client({ endPoint: rgw.endpoint, port: rgw.port, useSSL: false, accessKey: rgw.accessKey, secretKey: `${rgw.secretKey}x`, region: rgw.region, pathStyle: true });
    await expect(wrongClient.putObject('wrong-key', 'intruder.jpg', Buffer.from('x'))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(await listAll(good)).toEqual([]);
  });

  // Last: it takes the gateway down.
  it('while the gateway is down every operation fails cleanly, and works again once it is back', async () => {
    const store = await openStore('outage');
    const before = photoLikeBytes(64 * 1024);
    await store.put('before.jpg', before, 'image/jpeg');

    const crashes: unknown[] = [];
    const recordCrash = (err: unknown) => crashes.push(err);
    process.on('uncaughtException', recordCrash);
    process.on('unhandledRejection', recordCrash);
    try {
      await rgw.stopGateway();
      expect(await store.ping(2000)).toBe(false);
      await expect(store.put('during.jpg', Buffer.from('lost'), 'image/jpeg')).rejects.toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
      await expect(store.get('before.jpg')).rejects.toMatchObject({ statusCode: 503, code: 'STORAGE_UNAVAILABLE' });
      await expect(listAll(store)).rejects.toMatchObject({ statusCode: 503 });
      await expect(store.remove(['before.jpg'])).rejects.toMatchObject({ statusCode: 503 });

      await rgw.startGateway();
      // The very first calls after the restart must succeed: no stale kept-alive connection in the way.
      expect(await store.ping()).toBe(true);
      expect((await buffer(await store.get('before.jpg'))).equals(before)).toBe(true);
      await store.put('after.jpg', Buffer.from('after'), 'image/jpeg');
      expect((await listAll(store)).map((item) => item.key)).toEqual(['after.jpg', 'before.jpg']);
    } finally {
      process.off('uncaughtException', recordCrash);
      process.off('unhandledRejection', recordCrash);
    }
    expect(crashes).toEqual([]);
  });
});
