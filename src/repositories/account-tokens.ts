// One-time tokens for accounts, kept by their hash: the set-up addresses printed while no admin exists,
// and the password-reset links an admin issues. A token is good once; a used or expired one is as good
// as absent.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';

export function createAccountTokenRepository({ db, tables: { passwordResets, setupTokens } }: Database, clock: Clock) {
  return {
    async issueSetupToken(tokenHash: string): Promise<void> {
      await db.insert(setupTokens).values({ tokenHash, createdAt: clock.now() });
    },

    async setupTokenExists(tokenHash: string): Promise<boolean> {
      const [row] = await db.select({ tokenHash: setupTokens.tokenHash }).from(setupTokens).where(eq(setupTokens.tokenHash, tokenHash)).limit(1);
      return row !== undefined;
    },

    /** Once the first admin exists, no set-up address works any more. */
    async clearSetupTokens(on: Db = db): Promise<void> {
      await on.delete(setupTokens);
    },

    async issuePasswordReset(userId: string, tokenHash: string, expiresAt: number): Promise<void> {
      await db.insert(passwordResets).values({ tokenHash, userId, createdAt: clock.now(), expiresAt });
    },

    /** The user a usable (unused, unexpired) reset link is for. */
    async findUsablePasswordReset(tokenHash: string, now = clock.now()): Promise<string | null> {
      const [row] = await db
        .select({ userId: passwordResets.userId })
        .from(passwordResets)
        .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
        .limit(1);
      return row?.userId ?? null;
    },

    /** Marks the link used with one conditional write, so two requests with it cannot both succeed. */
    async usePasswordReset(tx: Db, tokenHash: string, now = clock.now()): Promise<string | null> {
      const [row] = await tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
        .returning({ userId: passwordResets.userId });
      return row?.userId ?? null;
    },
  };
}

export type AccountTokenRepository = ReturnType<typeof createAccountTokenRepository>;
