// Queue-scale part of the benchmark: 100 000 queued cases and a few hundred reviewers written
// straight into the service's SQLite file (in one transaction), then claim and case-list latency
// measured over HTTP against the running service.
import path from 'node:path';
import Database from 'better-sqlite3';
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

export function seedQueue(service: RunningService, referrerId: string, caseCount: number, reviewerCount: number): Seeded {
  const started = performance.now();
  const db = new Database(path.join(service.dataDir, 'service.sqlite'));
  db.pragma('busy_timeout = 10000');
  const now = Date.now();
  const insertCase = db.prepare(`
    insert into cases (id, referrer_id, site_id, queue_slug, status, urgency, urgency_rank, patient_ref, age_years, sex,
      fitzpatrick, body_site, duration_days, history, question, created_at, updated_at, quorum, opinions_needed, holders, waiting_since)
    values (?, ?, null, 'general', 'queued', ?, ?, ?, ?, ?, ?, 'forearm', 14, 'Seeded for the benchmark.', 'What is it?', ?, ?, 2, 2, 0, ?)`);
  const insertEvent = db.prepare(`insert into case_events (id, case_id, status, at, actor_type, actor_id) values (?, ?, 'queued', ?, 'user', ?)`);
  const insertUser = db.prepare(`
    insert into users (id, email, name, role, site_id, password_hash, disabled, created_at, updated_at)
    values (?, ?, ?, 'reviewer', null, ?, 0, ?, ?)`);
  const insertMembership = db.prepare(`insert into user_queues (user_id, queue_slug) values (?, 'general')`);
  const insertSession = db.prepare(`insert into sessions (id, token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?, ?)`);
  const sexes = ['female', 'male', 'other', 'unknown'];
  const reviewerTokens: string[] = [];

  db.transaction(() => {
    for (let i = 0; i < caseCount; i++) {
      const id = randomId();
      // Spread over the last 30 days, oldest first.
      const createdAt = now - 30 * 86_400_000 + Math.floor((i * 30 * 86_400_000) / caseCount);
      const roll = (i * 7919) % 100;
      const u = roll < URGENCIES[0].share * 100 ? URGENCIES[0] : roll < (URGENCIES[0].share + URGENCIES[1].share) * 100 ? URGENCIES[1] : URGENCIES[2];
      insertCase.run(id, referrerId, u.urgency, u.rank, `SEED-${i}`, i % 90, sexes[i % 4], (i % 6) + 1, createdAt, createdAt, createdAt);
      insertEvent.run(randomId(), id, createdAt, referrerId);
    }
    for (let i = 0; i < reviewerCount; i++) {
      const id = randomId();
      // Seeded reviewers never sign in with a password: they get a session directly.
      insertUser.run(id, `bench-reviewer-${i}@clinic.test`, `Reviewer ${i}`, '!no-password', now, now);
      insertMembership.run(id);
      const token = randomToken();
      insertSession.run(randomId(), hashToken(token), id, now, now + 86_400_000);
      reviewerTokens.push(token);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
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
