// How the embedded S3 endpoint (s3rver) writes an object to disk. s3rver's own FilesystemStore answers a
// PUT as soon as its hash stream has seen the body, possibly before the file is written, and a crash
// mid-write leaves a cut-off object that listings show. This subclass keeps s3rver's file layout
// (listing, reading and deleting are unchanged) and replaces only putObject:
//   - the body goes to a temporary file in a few large writes while it arrives;
//   - then the MD5 and metadata side files are written;
//   - last, the object file is renamed into place: that rename is the commit point, so a crash leaves
//     either the whole object or nothing that a listing shows (repairEmbeddedStore clears the rest);
//   - only then is the PUT answered.
// The ETag is the MD5 that the client sent as Content-MD5 (the minio client always sends it, computed
// from the bytes); the body is hashed here only when it is missing. This endpoint listens on loopback
// for this process alone, where nothing can alter the bytes in between, so a second MD5 of every
// photo in the same process would only spend CPU that photos need.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';

const require = createRequire(import.meta.url);

interface S3ObjectLike {
  bucket: string;
  key: string;
  content: Readable | Buffer;
  metadata: Record<string, string>;
}

interface FilesystemStoreLike {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
}

const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as new (root: string) => FilesystemStoreLike;
const S3Error = require('s3rver/lib/models/error.js') as new (code: string, message: string) => Error;
// The standard headers s3rver keeps with an object (Content-Type and the like).
const ALLOWED_METADATA = new Set<string>((require('s3rver/lib/models/object.js') as { ALLOWED_METADATA: string[] }).ALLOWED_METADATA);

/** Temporary files carry this in their name; repairEmbeddedStore removes any that a crash left. */
export const PARTIAL_MARK = '.partial-';
// The body is written in pieces of about this size, and at most this much of it waits for the disk.
const WRITE_BATCH_BYTES = 1024 * 1024;
const MAX_UNWRITTEN_BYTES = 8 * WRITE_BATCH_BYTES;

/** The hex MD5 of a Content-MD5 header (base64 of 16 bytes); a malformed header is an S3 error. */
function contentMd5Hex(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== 'string') throw new S3Error('InvalidDigest', 'The Content-MD5 you specified is not valid.');
  const digest = Buffer.from(header, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== header) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified is not valid.');
  return digest.toString('hex');
}

async function writeAll(file: fs.FileHandle, chunks: Buffer[]): Promise<void> {
  let pending = chunks;
  while (pending.length > 0) {
    const expected = pending.reduce((n, c) => n + c.length, 0);
    const { bytesWritten } = await file.writev(pending);
    if (bytesWritten === expected) return;
    // A short write (rare on a regular file): continue from where it stopped.
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const chunk of pending) {
      if (skip >= chunk.length) skip -= chunk.length;
      else {
        rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
    }
    pending = rest;
  }
}

/** Opens a new file, making its directory when needed (s3rver removes directories that deletes emptied). */
async function createFile(file: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(path.dirname(file), { recursive: true });
    return fs.open(file, 'wx');
  }
}

export class DurableFilesystemStore extends FilesystemStore {
  async putObject(object: S3ObjectLike): Promise<{ size: number; md5: string }> {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    // s3rver keeps only some headers in `metadata`; the body is the request itself, which has them all.
    const requestHeaders = (object.content as { headers?: Record<string, string | string[] | undefined> }).headers;
    const claimedMd5 = contentMd5Hex(requestHeaders?.['content-md5']);
    const partial = `${objectPath}${PARTIAL_MARK}${randomBytes(6).toString('hex')}`;
    const file = await createFile(partial);
    const hash = claimedMd5 ? null : createHash('md5');
    let size = 0;
    let committed = false;
    try {
      // Written in batches while the body arrives, so that the disk works alongside the network.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      let written = 0;
      let writing: Promise<void> = Promise.resolve();
      const flush = () => {
        const chunks = batch;
        const bytes = batchBytes;
        batch = [];
        batchBytes = 0;
        writing = writing.then(async () => {
          await writeAll(file, chunks);
          written += bytes;
        });
        writing.catch(() => undefined); // awaited below
      };
      const body: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(object.content) ? [object.content] : (object.content as AsyncIterable<Buffer>);
      for await (const chunk of body) {
        hash?.update(chunk);
        size += chunk.length;
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          flush();
          // Backpressure: a disk slower than the network must not let the body pile up in memory.
          if (size - written >= MAX_UNWRITTEN_BYTES) await writing;
        }
      }
      flush();
      await writing;
      await file.close();

      const md5 = claimedMd5 ?? hash!.digest('hex');
      await this.putMetadata(object.bucket, object.key, object.metadata, md5);
      await fs.rename(partial, objectPath);
      committed = true;
      return { size, md5 };
    } finally {
      if (!committed) {
        await file.close().catch(() => undefined);
        await fs.rm(partial, { force: true });
      }
    }
  }

  // s3rver's own, with both side files written at once. Before the object's rename nothing reads them.
  override async putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void> {
    const kept = Object.fromEntries(Object.entries(metadata).filter(([name]) => ALLOWED_METADATA.has(name) || name.startsWith('x-amz-meta-')));
    await Promise.all([
      md5 ? fs.writeFile(this.getResourcePath(bucket, key, 'object.md5'), md5) : null,
      fs.writeFile(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(kept, null, 2)),
    ]);
  }
}
