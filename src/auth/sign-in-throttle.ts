// Sign-in throttling, by failures rather than attempts, so that the staff of a clinic who share one NAT
// address all sign in at the start of a shift, while guessing is slowed:
//   - per client address: at most LOGIN_RATE_LIMIT_PER_MINUTE failed sign-ins a minute;
//   - per account: at most LOGIN_FAILURES_PER_ACCOUNT failed sign-ins in 15 minutes, from anywhere.
// Past either, every sign-in there is refused (429 with Retry-After) until the window ends, before the
// password is even checked. A success clears its account's count, never its address's: signing in to
// one's own account must not reopen guessing at others. Counts live in the database, so they hold
// across instances.
import { createHash } from 'node:crypto';
import type { SignInFailureRepository } from '../repositories/sign-in-failures.js';
import { normalizeEmail } from '../repositories/users.js';

export const ADDRESS_WINDOW_MS = 60_000;
export const ACCOUNT_WINDOW_MS = 15 * 60_000;

export interface ThrottleLimits {
  failuresPerAddressPerMinute: number;
  failuresPerAccount: number;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const accountKey = (email: string) => `account:${hash(normalizeEmail(email))}`;
const addressKey = (ip: string) => `address:${hash(ip)}`;

export function createSignInThrottle(failures: SignInFailureRepository, limits: ThrottleLimits, now: () => number = Date.now) {
  const rules = (email: string, ip: string) => [
    { key: accountKey(email), limit: limits.failuresPerAccount, windowMs: ACCOUNT_WINDOW_MS },
    { key: addressKey(ip), limit: limits.failuresPerAddressPerMinute, windowMs: ADDRESS_WINDOW_MS },
  ];

  return {
    /** Seconds to wait before this sign-in may be tried; 0 when it may be tried now. */
    async waitSeconds(email: string, ip: string): Promise<number> {
      const at = now();
      const applying = rules(email, ip);
      const counts = await failures.counts(applying.map((r) => r.key));
      let waitMs = 0;
      for (const rule of applying) {
        const count = counts.find((c) => c.key === rule.key);
        const windowEnd = count ? count.windowStart + rule.windowMs : 0;
        if (count && windowEnd > at && count.failures >= rule.limit) waitMs = Math.max(waitMs, windowEnd - at);
      }
      return Math.ceil(waitMs / 1000);
    },

    async failed(email: string, ip: string): Promise<void> {
      const at = now();
      for (const rule of rules(email, ip)) await failures.record(rule.key, rule.windowMs, at);
    },

    async succeeded(email: string): Promise<void> {
      await failures.clear(accountKey(email));
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
