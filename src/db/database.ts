// The database the service runs on: SQLite under DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
// The repositories drive both with the same drizzle query builders over the same tables (src/db/schema.ts,
// mirrored for PostgreSQL by postgres-schema.ts). What truly differs between the dialects is here, side by
// side: opening and migrating, transactions, raw queries, row locks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import type { BaseLogger } from 'pino';
import { DatabaseUnavailableError } from './errors.js';
import * as postgresSchema from './postgres-schema.js';
import * as schema from './schema.js';

export type Tables = typeof schema;

/**
 * The query builder the repositories write against: drizzle's async SQLite database. On PostgreSQL it is
 * drizzle's node-postgres database over the mirrored tables, whose builders take the same calls; so the
 * repositories keep to what both have: awaited builders (rows), `.returning()`, `onConflictDo…`, and
 * `Database.rows()` for raw SQL, never SQLite's `.get()/.all()/.run()` (the linter refuses those there).
 */
export type Db = BaseSQLiteDatabase<'async', unknown, Tables>;

export type Dialect = 'sqlite' | 'postgres';

/** Advisory lock keys: any numbers, as long as every instance uses the same one for the same work. */
const FLEET_LOCKS = { migrate: 0x6465_726d, bootstrap: 0x6465_726e, outbox: 0x6465_726f } as const;
/** Held by a transaction while it numbers outbox events, so that they commit in the order of their numbers. */
const OUTBOX_NUMBERING_LOCK = 0x6465_7270;
export type FleetLock = keyof typeof FLEET_LOCKS;

export interface Database {
  readonly dialect: Dialect;
  readonly db: Db;
  readonly tables: Tables;
  /**
   * Runs `work` in one transaction. SQLite: BEGIN IMMEDIATE, so writers take turns; `work` must only await
   * queries (it is checked). PostgreSQL: READ COMMITTED, tried again on a serialization failure or deadlock.
   */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /** The rows of a raw query, on the database or inside a transaction. */
  rows<T>(query: SQL, on?: Db): Promise<T[]>;
  /**
   * A select that also locks the rows it reads until the transaction ends (PostgreSQL's FOR UPDATE), so
   * that two instances changing one case take turns. SQLite's write transactions already do.
   */
  forUpdate<Q>(select: Q): Q;
  /** Resolves once the schema is up to date; on PostgreSQL tries again while the server cannot be reached. */
  ready(): Promise<void>;
  /**
   * Runs `work` while no other instance on this database runs work under the same lock (PostgreSQL's
   * advisory lock, held by a session of its own); SQLite is a fleet of one, so it simply runs.
   */
  withFleetLock<T>(lock: FleetLock, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` unless another instance (or another caller here) runs work under the same lock now: then
   * it resolves false at once instead of waiting.
   */
  tryFleetLock(lock: FleetLock, work: () => Promise<void>): Promise<boolean>;
  /**
   * Called inside a transaction before it numbers outbox events: until it commits, other writers of
   * events wait, so a reader that has seen event n never later finds a smaller number appear
   * (PostgreSQL's sequences would commit out of order). SQLite's writers already take turns.
   */
  lockOutboxNumbering(tx: Db): Promise<void>;
  /** Calls `listener` after every transaction that commits (wakes the outbox's readers at once). */
  onCommit(listener: () => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** SQLite's own connection (maintenance, tests); null on PostgreSQL. */
  readonly sqlite: BetterSqlite3.Database | null;
  /** PostgreSQL's pool (maintenance, tests); null on SQLite. */
  readonly pool: pg.Pool | null;
}

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db');
export const SQLITE_MIGRATIONS = path.join(MIGRATIONS, 'sqlite');
export const POSTGRES_MIGRATIONS = path.join(MIGRATIONS, 'postgres');

export interface DatabaseOptions {
  /** SQLite file (used when `url` is null). */
  file: string;
  /** PostgreSQL connection string. */
  url: string | null;
  log: Pick<BaseLogger, 'warn' | 'info'>;
}

export function openDatabase(options: DatabaseOptions): Database {
  return options.url ? openPostgres(options.url, options.log) : openSqlite(options.file);
}

function openSqlite(file: string): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Other processes (the reconcile script) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
  const native = drizzleSqlite(sqlite, { schema });
  migrateSqlite(native, { migrationsFolder: SQLITE_MIGRATIONS });
  // Awaiting a better-sqlite3 builder runs it at once, so the sync database serves the async type.
  const db = native as unknown as Db;
  // Transactions of one process take turns (two started in the same turn of the event loop would
  // otherwise nest on the one connection).
  let lastTransaction: Promise<unknown> = Promise.resolve();
  const fleetLocks = new Map<FleetLock, Promise<unknown>>();
  const busyLocks = new Set<FleetLock>();
  const commitListeners: (() => void)[] = [];

  async function runTransaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    // One connection: another request's statement must never run inside this transaction. Awaiting only
    // queries keeps it within this turn of the event loop; anything that waits for I/O would let others in.
    sqlite.exec('BEGIN IMMEDIATE');
    let leftTheTurn = false;
    const probe = setImmediate(() => (leftTheTurn = true));
    try {
      const result = await work(db);
      if (leftTheTurn) throw new Error('A SQLite transaction waited for I/O: its work must only await queries');
      sqlite.exec('COMMIT');
      for (const listener of commitListeners) listener();
      return result;
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw err;
    } finally {
      clearImmediate(probe);
    }
  }

  return {
    dialect: 'sqlite',
    db,
    tables: schema,
    sqlite,
    pool: null,
    transaction(work) {
      const turn = lastTransaction.then(() => runTransaction(work));
      lastTransaction = turn.catch(() => undefined);
      return turn;
    },
    async rows<T>(query: SQL, on: Db = db) {
      return (on as unknown as typeof native).all<T>(query);
    },
    forUpdate: (select) => select,
    ready: async () => {},
    withFleetLock(lock, work) {
      // A fleet of one: the lock only has to order this process's own callers.
      const turn = (fleetLocks.get(lock) ?? Promise.resolve()).then(work);
      fleetLocks.set(lock, turn.catch(() => undefined));
      return turn;
    },
    async tryFleetLock(lock, work) {
      if (busyLocks.has(lock)) return false;
      busyLocks.add(lock);
      try {
        await work();
        return true;
      } finally {
        busyLocks.delete(lock);
      }
    },
    lockOutboxNumbering: async () => {},
    onCommit: (listener) => void commitListeners.push(listener),
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** SQLSTATEs after which the whole transaction may simply be tried again. */
const RETRYABLE = new Set(['40001', '40P01']);
const TRANSACTION_ATTEMPTS = 4;

function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function openPostgres(url: string, log: DatabaseOptions['log']): Database {
  // Counts and epoch milliseconds (bigint) and averages (numeric) as numbers: all stay below 2^53. Set on
  // node-postgres' global parsers, because drizzle passes its own per-query parsers that fall back to them.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A request waits at most this long for a connection, then answers 503 rather than hanging.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
  });
  // A connection the server drops while idle: the pool replaces it; this must not end the process.
  pool.on('error', (err) => log.warn({ err: { message: err.message } }, 'PostgreSQL connection lost'));
  const native = drizzlePostgres(pool, { schema: postgresSchema });
  const db = native as unknown as Db;

  async function withFleetLock<T>(lock: FleetLock, work: () => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('select pg_advisory_lock($1)', [FLEET_LOCKS[lock]]);
      try {
        return await work();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [FLEET_LOCKS[lock]]).catch(() => (broken = true));
      }
    } finally {
      // A session whose unlock failed may still hold the lock: it is closed rather than pooled.
      client.release(broken);
    }
  }

  async function tryFleetLock(lock: FleetLock, work: () => Promise<void>): Promise<boolean> {
    const client = await pool.connect();
    let broken = false;
    try {
      const { rows } = await client.query<{ taken: boolean }>('select pg_try_advisory_lock($1) as taken', [FLEET_LOCKS[lock]]);
      if (!rows[0]?.taken) return false;
      try {
        await work();
        return true;
      } finally {
        await client.query('select pg_advisory_unlock($1)', [FLEET_LOCKS[lock]]).catch(() => (broken = true));
      }
    } finally {
      client.release(broken);
    }
  }

  const commitListeners: (() => void)[] = [];
  let migrated: Promise<void> | null = null;
  // Instances starting together take turns; the first applies the migrations, the others find none left.
  const migrate = () => withFleetLock('migrate', () => migratePostgres(native, { migrationsFolder: POSTGRES_MIGRATIONS }));

  return {
    dialect: 'postgres',
    db,
    tables: postgresSchema as unknown as Tables,
    sqlite: null,
    pool,
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await native.transaction((tx) => work(tx as unknown as Db));
          for (const listener of commitListeners) listener();
          return result;
        } catch (err) {
          if (attempt < TRANSACTION_ATTEMPTS && RETRYABLE.has(sqlState(err) ?? '')) continue;
          throw err;
        }
      }
    },
    async rows<T>(query: SQL, on: Db = db) {
      const result = await (on as unknown as typeof native).execute(query);
      return result.rows as T[];
    },
    forUpdate: (select) => (select as unknown as { for(strength: 'update'): unknown }).for('update') as typeof select,
    ready() {
      // One attempt at a time; a failed one is forgotten so that the next call tries again.
      migrated ??= migrate().catch((err: unknown) => {
        migrated = null;
        log.warn({ err: { message: (err as Error).message, code: sqlState(err) } }, 'PostgreSQL not ready');
        throw new DatabaseUnavailableError();
      });
      return migrated;
    },
    withFleetLock,
    tryFleetLock,
    async lockOutboxNumbering(tx) {
      await (tx as unknown as typeof native).execute(sql`select pg_advisory_xact_lock(${OUTBOX_NUMBERING_LOCK})`);
    },
    onCommit: (listener) => void commitListeners.push(listener),
    async ping() {
      await native.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
    },
  };
}
