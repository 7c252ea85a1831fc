// Queue-scale part of the benchmark: 100 000 queued cases and a few hundred reviewers written straight
// into the service's database in one transaction (its SQLite file, or its PostgreSQL database with
// --postgres), then claim and case-list latency measured over HTTP against the running service.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { hashToken, randomId, randomToken } from '../../src/ids.js';
import { send } from './http-client.js';
import type { RunningService } from './service.js';
import { runAtConcurrency, type RunResult } from './stats.js';

export interface Seeded {
  cases: number;
  reviewerTokens: string[];
  seedMs: number;
}

const URGENCIES = [
  { urgency: 'routine', rank: 2, share: 0.7 },
  { urgency: 'soon', rank: 1, share: 0.2 },
  { urgency: 'urgent', rank: 0, share: 0.1 },
] as const;

/**
 * The seeded tables and columns, in the order in which their rows are written: a row's foreign keys
 * point only at tables above it (or at rows that were there before, such as the referrer).
 */
const SEED_COLUMNS = {
  users: ['id', 'email', 'name', 'role', 'site_id', 'password_hash', 'disabled', 'created_at', 'updated_at'],
  user_queues: ['user_id', 'queue_slug'],
  sessions: ['id', 'token_hash', 'user_id', 'created_at', 'expires_at'],
  cases: [
    'id', 'referrer_id', 'site_id', 'queue_slug', 'status', 'urgency', 'urgency_rank', 'patient_ref', 'age_years', 'sex', 'fitzpatrick',
    'body_site', 'duration_days', 'history', 'question', 'created_at', 'updated_at', 'quorum', 'opinions_needed', 'holders', 'waiting_since',
  ],
  case_events: ['id', 'case_id', 'status', 'at', 'actor_type', 'actor_id'],
} as const;

type SeedTable = keyof typeof SEED_COLUMNS;
const SEED_TABLES = Object.keys(SEED_COLUMNS) as SeedTable[];
/** One value per column of SEED_COLUMNS[table]; booleans as booleans (the SQLite writer makes them 0/1). */
type SeedValue = string | number | boolean | null;
interface SeedRow {
  table: SeedTable;
  values: SeedValue[];
}

/** An INSERT of `rows` rows into `table`: `?` placeholders (SQLite) or numbered ones, `$1`... (PostgreSQL). */
const insertSql = (table: SeedTable, rows: number, dialect: 'sqlite' | 'postgres') => {
  const columns = SEED_COLUMNS[table];
  const tuples = Array.from({ length: rows }, (_, r) => `(${columns.map((_c, i) => (dialect === 'sqlite' ? '?' : `$${r * columns.length + i + 1}`)).join(', ')})`);
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
};

/**
 * The rows of the seeded queue, for either dialect: `caseCount` queued cases of `referrerId` in the
 * general queue (each with its `queued` event), and a reviewer of the general queue with a session per
 * token (seeded reviewers never sign in with a password: they get a session directly).
 */
function* queueRows(referrerId: string, caseCount: number, reviewerTokens: readonly string[], now: number): Generator<SeedRow> {
  const sexes = ['female', 'male', 'other', 'unknown'];
  for (let i = 0; i < caseCount; i++) {
    const id = randomId();
    // Spread over the last 30 days, oldest first.
    const createdAt = now - 30 * 86_400_000 + Math.floor((i * 30 * 86_400_000) / caseCount);
    const roll = (i * 7919) % 100;
    const u = roll < URGENCIES[0].share * 100 ? URGENCIES[0] : roll < (URGENCIES[0].share + URGENCIES[1].share) * 100 ? URGENCIES[1] : URGENCIES[2];
    yield {
      table: 'cases',
      values: [
        id, referrerId, null, 'general', 'queued', u.urgency, u.rank, `SEED-${i}`, i % 90, sexes[i % 4]!, (i % 6) + 1,
        'forearm', 14, 'Seeded for the benchmark.', 'What is it?', createdAt, createdAt, 2, 2, 0, createdAt,
      ],
    };
    yield { table: 'case_events', values: [randomId(), id, 'queued', createdAt, 'user', referrerId] };
  }
  for (const [i, token] of reviewerTokens.entries()) {
    const id = randomId();
    yield { table: 'users', values: [id, `bench-reviewer-${i}@clinic.test`, `Reviewer ${i}`, 'reviewer', null, '!no-password', false, now, now] };
    yield { table: 'user_queues', values: [id, 'general'] };
    yield { table: 'sessions', values: [randomId(), hashToken(token), id, now, now + 86_400_000] };
  }
}

const newTokens = (count: number) => Array.from({ length: count }, () => randomToken());

/** Seeds the service's SQLite file (the service runs without DATABASE_URL). */
export function seedQueue(service: RunningService, referrerId: string, caseCount: number, reviewerCount: number): Seeded {
  const started = performance.now();
  const db = new Database(path.join(service.dataDir, 'service.sqlite'));
  db.pragma('busy_timeout = 10000');
  const inserts = new Map(SEED_TABLES.map((table) => [table, db.prepare(insertSql(table, 1, 'sqlite'))]));
  const reviewerTokens = newTokens(reviewerCount);
  db.transaction(() => {
    for (const row of queueRows(referrerId, caseCount, reviewerTokens, Date.now())) {
      inserts.get(row.table)!.run(row.values.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { cases: caseCount, reviewerTokens, seedMs: performance.now() - started };
}

/** Rows per multi-row INSERT: 1000 cases of 21 columns stay well below PostgreSQL's 65 535 parameters. */
const POSTGRES_BATCH = 1000;

/**
 * Seeds the service's PostgreSQL database (`url`, the service's DATABASE_URL): the same rows in
 * multi-row INSERTs within one transaction, then ANALYZE, so that the planner has statistics of the
 * seeded tables rather than of the empty ones it had after the migrations.
 */
export async function seedQueuePostgres(url: string, referrerId: string, caseCount: number, reviewerCount: number): Promise<Seeded> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const reviewerTokens = newTokens(reviewerCount);
  try {
    const pending = new Map<SeedTable, SeedValue[][]>(SEED_TABLES.map((table) => [table, []]));
    // Every table's pending rows in SEED_TABLES order, so that a row is never written before those it refers to.
    const flush = async () => {
      for (const [table, rows] of pending) {
        if (rows.length === 0) continue;
        await client.query(insertSql(table, rows.length, 'postgres'), rows.flat());
        rows.length = 0;
      }
    };
    await client.query('begin');
    for (const row of queueRows(referrerId, caseCount, reviewerTokens, Date.now())) {
      const rows = pending.get(row.table)!;
      rows.push(row.values);
      if (rows.length >= POSTGRES_BATCH) await flush();
    }
    await flush();
    await client.query('commit');
    await client.query(`analyze ${SEED_TABLES.map((table) => `"${table}"`).join(', ')}`);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
  return { cases: caseCount, reviewerTokens, seedMs: performance.now() - started };
}

export interface ClaimResult extends RunResult {
  /** The claim route answered 404 for every request: it does not exist in this build. */
  missing: boolean;
  statuses: Record<number, number>;
}

export const CLAIM_WARM_UP = 10;

/**
 * Serial claims, each by a different reviewer (so that no per-reviewer rule interferes). The first
 * CLAIM_WARM_UP claims are not counted: the very first ones after the seed compile the route and
 * its queries and read the new rows from disk (70 ms and 25 ms for the first and third), which is a
 * start-up cost, not what a reviewer waits for.
 */
export async function measureClaims(service: RunningService, tokens: readonly string[], count: number): Promise<ClaimResult> {
  const statuses: Record<number, number> = {};
  const claim = async (token: string, counted = true) => {
    const res = await send(service.baseUrl, 'POST', '/api/v1/queues/general/claim', { authorization: `Bearer ${token}` });
    if (counted) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    // With 100 000 cases waiting, 204 (nothing to claim) is as wrong as an error.
    if (res.status !== 200) throw new Error(`claim answered ${res.status}`);
  };
  for (const token of tokens.slice(0, CLAIM_WARM_UP)) await claim(token, false).catch(() => undefined);
  const measured = tokens.slice(CLAIM_WARM_UP);
  const result = await runAtConcurrency(Math.min(count, measured.length), 1, (i) => claim(measured[i]!));
  const missing = (statuses[404] ?? 0) === result.count;
  return { ...result, missing, statuses };
}

/** `GET /api/v1/cases` pages as the given user: every other request reads a second page (cursor). */
export async function measureList(service: RunningService, token: string, count: number, query = ''): Promise<RunResult> {
  const get = async (url: string) => {
    const res = await send(service.baseUrl, 'GET', url, { authorization: `Bearer ${token}` });
    const body = JSON.parse(res.body.toString()) as { items?: unknown[]; nextCursor?: string | null };
    if (res.status !== 200 || !body.items?.length) throw new Error(`list answered ${res.status}`);
    return body;
  };
  const first = `/api/v1/cases?limit=50${query}`;
  const { nextCursor } = await get(first);
  const second = nextCursor ? `${first}&cursor=${nextCursor}` : first;
  return runAtConcurrency(count, 1, async (i) => {
    await get(i % 2 === 0 ? first : second);
  });
}
