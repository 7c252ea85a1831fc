// Counts of failed sign-ins per key (an account or a client address) in fixed windows, for the sign-in
// throttle (src/auth/sign-in-throttle.ts). One upsert per failure, so concurrent failures all count.
import { eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

export interface FailureCount {
  key: string;
  windowStart: number;
  failures: number;
}

export function createSignInFailureRepository({ db, tables: { signInFailures } }: Database) {
  return {
    /** The current counts of these keys (a key without a row has no failures). */
    async counts(keys: string[]): Promise<FailureCount[]> {
      if (keys.length === 0) return [];
      return db.select().from(signInFailures).where(inArray(signInFailures.key, keys));
    },

    /** Counts one failure for the key, starting a new window when the old one is over. */
    async record(key: string, windowMs: number, now: number): Promise<void> {
      await db
        .insert(signInFailures)
        .values({ key, windowStart: now, failures: 1 })
        .onConflictDoUpdate({
          target: signInFailures.key,
          set: {
            failures: sql`case when ${signInFailures.windowStart} <= ${now - windowMs} then 1 else ${signInFailures.failures} + 1 end`,
            windowStart: sql`case when ${signInFailures.windowStart} <= ${now - windowMs} then ${now} else ${signInFailures.windowStart} end`,
          },
        });
    },

    async clear(key: string): Promise<void> {
      await db.delete(signInFailures).where(eq(signInFailures.key, key));
    },

    /** Drops windows that ended before `before`: they count for nothing. */
    async purge(before: number): Promise<number> {
      return (await db.delete(signInFailures).where(lte(signInFailures.windowStart, before)).returning({ key: signInFailures.key })).length;
    },
  };
}

export type SignInFailureRepository = ReturnType<typeof createSignInFailureRepository>;
