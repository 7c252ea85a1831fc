// Counts of failed sign-ins per key (an account or a client address) in fixed windows, for the sign-in
// throttle (src/auth/sign-in-throttle.ts). One upsert per failure, so concurrent failures all count.
import { eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { signInFailures } from '../db/schema.js';

export interface FailureCount {
  key: string;
  windowStart: number;
  failures: number;
}

export function createSignInFailureRepository(db: Db) {
  return {
    /** The current counts of these keys (a key without a row has no failures). */
    async counts(keys: string[]): Promise<FailureCount[]> {
      if (keys.length === 0) return [];
      return db.select().from(signInFailures).where(inArray(signInFailures.key, keys)).all();
    },

    /** Counts one failure for the key, starting a new window when the old one is over. */
    async record(key: string, windowMs: number, now: number): Promise<void> {
      db.insert(signInFailures)
        .values({ key, windowStart: now, failures: 1 })
        .onConflictDoUpdate({
          target: signInFailures.key,
          set: {
            failures: sql`case when ${signInFailures.windowStart} <= ${now - windowMs} then 1 else ${signInFailures.failures} + 1 end`,
            windowStart: sql`case when ${signInFailures.windowStart} <= ${now - windowMs} then ${now} else ${signInFailures.windowStart} end`,
          },
        })
        .run();
    },

    async clear(key: string): Promise<void> {
      db.delete(signInFailures).where(eq(signInFailures.key, key)).run();
    },

    /** Drops windows that ended before `before`: they count for nothing. */
    async purge(before: number): Promise<number> {
      return db.delete(signInFailures).where(lte(signInFailures.windowStart, before)).run().changes;
    },
  };
}

export type SignInFailureRepository = ReturnType<typeof createSignInFailureRepository>;
