// Bearer-token sessions, kept by the token's hash (users.findBySession reads the user behind one); an expired
// session is as good as absent.
import { and, eq, lte, ne } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { randomId } from '../ids.js';

export function createSessionRepository({ db, tables: { sessions } }: Database, clock: Clock) {
  return {
    async create(userId: string, tokenHash: string, expiresAt: number): Promise<void> {
      await db.insert(sessions).values({ id: randomId(), tokenHash, userId, createdAt: clock.now(), expiresAt });
    },

    async delete(tokenHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },

    /** Ends every session of a user (disabled account, role change, new password), or all but one. */
    async deleteForUser(userId: string, exceptTokenHash?: string): Promise<void> {
      await db.delete(sessions).where(exceptTokenHash ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, exceptTokenHash)) : eq(sessions.userId, userId));
    },

    async purgeExpired(now = clock.now()): Promise<number> {
      return (await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id })).length;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
