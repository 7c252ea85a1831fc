// Bearer-token sessions, looked up by the token's hash; an expired session is as good as absent.
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';
import { randomId } from '../ids.js';

export function createSessionRepository(db: Db, clock: Clock) {
  return {
    async create(userId: string, tokenHash: string, expiresAt: number): Promise<void> {
      db.insert(sessions).values({ id: randomId(), tokenHash, userId, createdAt: clock.now(), expiresAt }).run();
    },

    async findUserId(tokenHash: string, now = clock.now()): Promise<string | null> {
      const row = db
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
        .get();
      return row?.userId ?? null;
    },

    async delete(tokenHash: string): Promise<void> {
      db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
    },

    /** Ends every session of a user (disabled account, role change). */
    async deleteForUser(userId: string): Promise<void> {
      db.delete(sessions).where(eq(sessions.userId, userId)).run();
    },

    async purgeExpired(now = clock.now()): Promise<number> {
      return db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
