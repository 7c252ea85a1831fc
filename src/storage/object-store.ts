// The one door to photo storage: a MinIO client over S3. Without MINIO_ENDPOINT an embedded
// S3-compatible server (s3rver) runs in-process, on a Unix socket under DATA_DIR that only this process
// can use (embedded-endpoint.ts), so the same client code runs everywhere.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as Minio from 'minio';
import type { FastifyBaseLogger } from 'fastify';
import type { Config, MinioConfig } from '../config.js';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import { PARTIAL_MARK } from './embedded-files.js';
import { startEmbeddedEndpoint, type EmbeddedEndpoint } from './embedded-endpoint.js';

export interface StoredObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Removes the keys; missing keys are not an error. */
  remove(keys: string[]): Promise<void>;
  list(prefix?: string): AsyncIterable<StoredObjectInfo>;
  /** True when the store answers and the bucket exists (creating it if needed). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * What the client is told of the embedded endpoint: the connection itself goes over its Unix socket with
 * its secret (embedded-endpoint.ts). The keys are s3rver's built-in account, which it requires but whose
 * V4 signatures it never checks: the secret is what keeps others out.
 */
const EMBEDDED_TARGET: MinioConfig = { endPoint: '127.0.0.1', port: 9000, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };

class StorageUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('Photo storage is unavailable: nothing was stored, please try again shortly', 'STORAGE_UNAVAILABLE');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`object store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isMissingObject(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'NoSuchKey' || code === 'NotFound';
}

const OBJECT_SUFFIX = '._S3rver_object';
const SIDE_FILE_SUFFIXES = ['._S3rver_object.md5', '._S3rver_metadata.json'];

/**
 * Crash recovery for the embedded store (see embedded-files.ts): removes the temporary files of writes
 * that a crash cut off, and side files whose object never arrived. Those objects were never
 * acknowledged, so no row can refer to them. Older stores (s3rver's own writer) could also hold a
 * cut-off metadata file, which made every later listing fail: those objects are removed too.
 * Returns how many files were removed.
 */
export async function repairEmbeddedStore(directory: string): Promise<number> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(directory, { recursive: true });
  } catch {
    return 0; // first start: nothing stored yet
  }
  const present = new Set(entries);
  const doomed = new Set<string>();
  for (const entry of entries) {
    if (entry.includes(PARTIAL_MARK)) {
      doomed.add(entry);
      continue;
    }
    const side = SIDE_FILE_SUFFIXES.find((suffix) => entry.endsWith(suffix));
    if (!side) continue;
    const base = entry.slice(0, -side.length);
    if (!present.has(`${base}${OBJECT_SUFFIX}`)) {
      doomed.add(entry);
    } else if (side.endsWith('.json')) {
      try {
        JSON.parse(await fs.promises.readFile(path.join(directory, entry), 'utf8'));
      } catch {
        for (const file of [entry, `${base}${OBJECT_SUFFIX}`, ...SIDE_FILE_SUFFIXES.map((s) => `${base}${s}`)]) doomed.add(file);
      }
    }
  }
  for (const file of doomed) await fs.promises.rm(path.join(directory, file), { force: true });
  return doomed.size;
}

/** The embedded endpoint under DATA_DIR, after clearing what a crash left in its files. */
async function startEmbedded(dataDir: string, log: FastifyBaseLogger): Promise<EmbeddedEndpoint> {
  const directory = path.join(dataDir, 'objects');
  await fs.promises.mkdir(directory, { recursive: true, mode: 0o700 });
  const repaired = await repairEmbeddedStore(directory);
  if (repaired > 0) log.warn({ files: repaired }, 'removed files of uploads that a crash cut off');
  return startEmbeddedEndpoint(directory, dataDir);
}

export async function openObjectStore(config: Pick<Config, 'minio' | 'bucket' | 'dataDir'>, log: FastifyBaseLogger): Promise<ObjectStore> {
  const embedded = config.minio ? null : await startEmbedded(config.dataDir, log);
  const target: MinioConfig = config.minio ?? EMBEDDED_TARGET;
  const client = new Minio.Client({
    endPoint: target.endPoint,
    port: target.port,
    useSSL: target.useSSL,
    accessKey: target.accessKey,
    secretKey: target.secretKey,
    // With a region set the client skips a GetBucketLocation round trip (and s3rver needs it).
    region: target.region,
    pathStyle: true,
    ...(embedded ? { transport: embedded.transport, transportAgent: embedded.agent } : {}),
  });
  if (embedded) {
    // Over plain HTTP the client signs a SHA-256 of every body; to our own in-process endpoint that hash
    // protects nothing (Content-MD5 still guards the bytes) and costs CPU that photos need.
    (client as unknown as { enableSHA256: boolean }).enableSHA256 = false;
  }
  const bucket = config.bucket;
  let bucketReady = false;

  async function ensureBucket(): Promise<void> {
    if (bucketReady) return;
    if (!(await client.bucketExists(bucket))) {
      try {
        await client.makeBucket(bucket, target.region);
      } catch (err) {
        // Another instance may have made it between the two calls.
        if ((err as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw err;
      }
    }
    bucketReady = true;
  }

  // A store that is down at start must not stop the service: /readyz reports it and uploads answer 503.
  try {
    await withTimeout(ensureBucket(), 5000);
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'object store not reachable at start');
  }

  async function guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await ensureBucket();
      return await operation();
    } catch (err) {
      if (isMissingObject(err)) throw new NotFoundError();
      log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'object store failure');
      throw new StorageUnavailableError();
    }
  }

  return {
    bucket,

    put(key, body, contentType) {
      return guarded(async () => {
        await client.putObject(bucket, key, body, body.length, { 'Content-Type': contentType });
      });
    },

    get(key) {
      return guarded(() => client.getObject(bucket, key));
    },

    async remove(keys) {
      if (keys.length === 0) return;
      await guarded(() => client.removeObjects(bucket, keys));
    },

    async *list(prefix = '') {
      await guarded(ensureBucket);
      // The stream's iterator is untyped; its items are BucketItems.
      for await (const item of client.listObjectsV2(bucket, prefix, true) as AsyncIterable<Minio.BucketItem>) {
        if (item.name) yield { key: item.name, size: item.size, lastModified: item.lastModified };
      }
    },

    async ping(timeoutMs = 2000) {
      try {
        await withTimeout(
          (async () => {
            bucketReady = false;
            await ensureBucket();
          })(),
          timeoutMs,
        );
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      if (embedded) await embedded.close();
    },
  };
}
