// The one door to photo storage: a MinIO client over S3. Without MINIO_ENDPOINT an embedded
// S3-compatible server (s3rver) runs on loopback under DATA_DIR, so the same client code runs everywhere.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as Minio from 'minio';
import S3rver from 's3rver';
import type { FastifyBaseLogger } from 'fastify';
import type { Config, MinioConfig } from '../config.js';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';

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

const EMBEDDED_CREDENTIALS = 'S3RVER';

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

const METADATA_SUFFIX = '._S3rver_metadata.json';

/**
 * Crash recovery for the embedded store. s3rver writes an object's bytes, then its MD5, then its metadata
 * file, and answers the PUT only after that; a process killed in between leaves an empty or cut-off
 * metadata file, which makes every later listing of the bucket fail. Such an object was never
 * acknowledged, so no row can refer to it: its files are removed. Returns how many objects were removed.
 */
export async function repairEmbeddedStore(directory: string): Promise<number> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(directory, { recursive: true });
  } catch {
    return 0; // first start: nothing stored yet
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.endsWith(METADATA_SUFFIX)) continue;
    const metadataFile = path.join(directory, entry);
    try {
      JSON.parse(await fs.promises.readFile(metadataFile, 'utf8'));
    } catch {
      const base = metadataFile.slice(0, -METADATA_SUFFIX.length);
      for (const file of [metadataFile, `${base}._S3rver_object`, `${base}._S3rver_object.md5`]) {
        await fs.promises.rm(file, { force: true });
      }
      removed += 1;
    }
  }
  return removed;
}

async function startEmbeddedServer(dataDir: string, log: FastifyBaseLogger): Promise<{ server: S3rver; config: MinioConfig }> {
  const directory = path.join(dataDir, 'objects');
  const repaired = await repairEmbeddedStore(directory);
  if (repaired > 0) log.warn({ objects: repaired }, 'removed objects whose upload was cut off by a crash');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
  });
  const { port } = await server.run();
  return {
    server,
    config: {
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: EMBEDDED_CREDENTIALS,
      secretKey: EMBEDDED_CREDENTIALS,
      region: 'us-east-1',
    },
  };
}

export async function openObjectStore(config: Pick<Config, 'minio' | 'bucket' | 'dataDir'>, log: FastifyBaseLogger): Promise<ObjectStore> {
  const embedded = config.minio ? null : await startEmbeddedServer(config.dataDir, log);
  const target = config.minio ?? embedded!.config;
  const client = new Minio.Client({
    endPoint: target.endPoint,
    port: target.port,
    useSSL: target.useSSL,
    accessKey: target.accessKey,
    secretKey: target.secretKey,
    // With a region set the client skips a GetBucketLocation round trip (and s3rver needs it).
    region: target.region,
    pathStyle: true,
  });
  if (embedded) {
    // Over plain HTTP the client signs a SHA-256 of every body; to our own loopback endpoint that hash
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
      for await (const item of client.listObjectsV2(bucket, prefix, true)) {
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
      if (embedded) await embedded.server.close();
    },
  };
}
