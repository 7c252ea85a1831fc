// The embedded store's object writer: answered only once the object is whole on disk, nothing visible
// from a failed write, and the ETag an honest MD5 of the bytes.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableFilesystemStore, PARTIAL_MARK } from '../../../src/storage/embedded-files.js';
import { openObjectStore, type ObjectStore } from '../../../src/storage/object-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-files-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const filesUnder = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
const md5 = (bytes: Buffer, encoding: 'hex' | 'base64') => createHash('md5').update(bytes).digest(encoding);

/** A request body as s3rver hands it over: a stream that carries the request headers. */
function requestBody(chunks: Buffer[], headers: Record<string, string> = {}, failAfter?: number): Readable {
  let sent = 0;
  const body = new Readable({
    read() {
      if (failAfter !== undefined && sent === failAfter) {
        this.destroy(new Error('connection reset'));
        return;
      }
      this.push(sent < chunks.length ? chunks[sent++] : null);
    },
  });
  return Object.assign(body, { headers });
}

const BYTES = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
const chunksOf = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('DurableFilesystemStore.putObject', () => {
  it('writes the object with its side files, no temporary file left, and hashes the body when no Content-MD5 came', async () => {
    const dir = tempDir();
    const store = new DurableFilesystemStore(dir);
    const result = await store.putObject({ bucket: 'b', key: 'photos/x', content: requestBody(chunksOf(BYTES, 65_536)), metadata: { 'content-type': 'image/jpeg' } });
    expect(result).toEqual({ size: BYTES.length, md5: md5(BYTES, 'hex') });
    expect(filesUnder(dir)).toEqual(['b/photos/x._S3rver_metadata.json', 'b/photos/x._S3rver_object', 'b/photos/x._S3rver_object.md5']);
    expect(fs.readFileSync(path.join(dir, 'b/photos/x._S3rver_object')).equals(BYTES)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'b/photos/x._S3rver_object.md5'), 'utf8')).toBe(md5(BYTES, 'hex'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'b/photos/x._S3rver_metadata.json'), 'utf8'))).toEqual({ 'content-type': 'image/jpeg' });
  });

  it("takes the ETag from the client's Content-MD5 instead of hashing the body a second time", async () => {
    const store = new DurableFilesystemStore(tempDir());
    // A digest the body does not have shows which one was used; the minio client always sends the true one.
    const claimed = md5(Buffer.from('another body'), 'base64');
    const result = await store.putObject({ bucket: 'b', key: 'k', content: requestBody([BYTES], { 'content-md5': claimed }), metadata: {} });
    expect(result.md5).toBe(Buffer.from(claimed, 'base64').toString('hex'));
  });

  it('refuses a malformed Content-MD5 and keeps nothing', async () => {
    const dir = tempDir();
    const store = new DurableFilesystemStore(dir);
    await expect(store.putObject({ bucket: 'b', key: 'k', content: requestBody([BYTES], { 'content-md5': 'not-a-digest' }), metadata: {} })).rejects.toMatchObject({ code: 'InvalidDigest' });
    expect(filesUnder(dir)).toEqual([]);
  });

  it('leaves nothing when the body breaks off mid-way', async () => {
    const dir = tempDir();
    const store = new DurableFilesystemStore(dir);
    await expect(store.putObject({ bucket: 'b', key: 'photos/y', content: requestBody(chunksOf(BYTES, 65_536), {}, 3), metadata: {} })).rejects.toThrow('connection reset');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('writes a body larger than its write batches whole', async () => {
    const big = Buffer.concat(Array.from({ length: 40 }, () => BYTES)); // 12 MB: several batches, with backpressure
    const dir = tempDir();
    const result = await new DurableFilesystemStore(dir).putObject({ bucket: 'b', key: 'big', content: requestBody(chunksOf(big, 65_536)), metadata: {} });
    expect(result.size).toBe(big.length);
    expect(fs.readFileSync(path.join(dir, 'b/big._S3rver_object')).equals(big)).toBe(true);
  });
});

describe('the embedded S3 endpoint with this writer', () => {
  let store: ObjectStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it('stores and serves objects through the minio client, with no temporary file left behind', async () => {
    const dataDir = tempDir();
    store = await openObjectStore({ minio: null, bucket: 'photos', dataDir }, pino({ level: 'silent' }));
    await Promise.all([store.put('photos/a', BYTES, 'image/jpeg'), store.put('thumbs/a', BYTES.subarray(0, 1000), 'image/jpeg')]);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get('photos/a')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(BYTES)).toBe(true);
    const listed = [];
    for await (const item of store.list()) listed.push(item.key);
    expect(listed.sort()).toEqual(['photos/a', 'thumbs/a']);
    expect(filesUnder(dataDir).filter((f) => f.includes(PARTIAL_MARK))).toEqual([]);
  });
});
