// Opens what the app stands on (database with migrations, object store, repositories) and closes it on shutdown.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { bootstrap } from '../bootstrap.js';
import { openDatabase, type Database } from '../db/database.js';
import { classifyDatabaseError, DatabaseUnavailableError } from '../db/errors.js';
import { createRepositories, type Repositories } from '../repositories/index.js';
import type { AuditInput } from '../repositories/audit.js';
import { closeHeicDecoder } from '../photos/heic-decoder.js';
import { openObjectStore, type ObjectStore } from '../storage/object-store.js';

export interface Actor {
  type: 'user' | 'link';
  id: string;
}

export type AuditEntry = Omit<AuditInput, 'actorType' | 'actorId' | 'requestId' | 'ip'>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Now, for everything that stamps or compares times (tests move it). */
    clock: Clock;
    database: Database;
    /**
     * Resolves once the database is migrated and seeded (queues, the first admin); rejects with a 503
     * DATABASE_UNAVAILABLE while PostgreSQL cannot be reached, and tries again on the next call.
     */
    databaseReady(): Promise<void>;
    repos: Repositories;
    store: ObjectStore;
    /** Appends an audit event for this request's actor. */
    audit(request: FastifyRequest, entry: AuditEntry): Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * DATA_DIR holds the database and the embedded store's photos: nobody but the service's own user may
 * list or read it, whatever its mode was (a folder made by hand, an older version's files).
 */
function makeOwnerOnly(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    if (!entry.isSymbolicLink()) fs.chmodSync(path.join(dataDir, entry.name), entry.isDirectory() ? 0o700 : 0o600);
  }
}

export interface AppContextOptions {
  config: Config;
  /** Tests hand in their own store (e.g. one they stop mid-test); otherwise one is opened from config. */
  store?: ObjectStore;
  clock: Clock;
}

export default fp<AppContextOptions>(
  async function appContext(app: FastifyInstance, { config, store: givenStore, clock }) {
    makeOwnerOnly(config.dataDir);
    const database = openDatabase({ file: config.databaseFile, url: config.databaseUrl, log: app.log });
    const repos = createRepositories(database, clock);
    let store: ObjectStore;
    try {
      store = givenStore ?? (await openObjectStore(config, app.log));
    } catch (err) {
      await database.close();
      throw err;
    }

    let prepared: Promise<void> | null = null;
    const databaseReady = () =>
      (prepared ??= (async () => {
        await database.ready();
        // Instances starting together on an empty database: one creates the first admin.
        await database.withFleetLock('bootstrap', () => bootstrap(repos, config, app.log));
      })().catch((err: unknown) => {
        prepared = null;
        throw classifyDatabaseError(err)?.statusCode === 503 ? new DatabaseUnavailableError() : err;
      }));

    app.decorate('config', config);
    app.decorate('clock', clock);
    app.decorate('database', database);
    app.decorate('databaseReady', databaseReady);
    app.decorate('repos', repos);
    app.decorate('store', store);
    app.decorateRequest('actor', null);
    app.decorate('audit', async (request: FastifyRequest, entry: AuditEntry) => {
      await repos.audit.record({
        ...entry,
        actorType: request.actor?.type ?? 'anonymous',
        actorId: request.actor?.id ?? null,
        requestId: request.id,
        ip: request.ip,
      });
    });

    app.addHook('onClose', async () => {
      if (!givenStore) await store.close();
      await database.close();
      await closeHeicDecoder();
    });
  },
  { name: 'app-context' },
);
