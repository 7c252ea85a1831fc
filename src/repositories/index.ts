// All repositories over one database handle. Nothing outside src/repositories touches SQL.
import { sql } from 'drizzle-orm';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { createAuditRepository } from './audit.js';
import { createCaseRepository } from './cases.js';
import { createFollowUpLinkRepository } from './follow-up-links.js';
import { createQueueRepository } from './queues.js';
import { createReviewRepository } from './reviews.js';
import { createSessionRepository } from './sessions.js';
import { createSignInFailureRepository } from './sign-in-failures.js';
import { createSiteRepository } from './sites.js';
import { createStatsRepository } from './stats.js';
import { createUserRepository } from './users.js';

export function createRepositories(db: Db, clock: Clock = systemClock) {
  return {
    users: createUserRepository(db, clock),
    sessions: createSessionRepository(db, clock),
    sites: createSiteRepository(db, clock),
    queues: createQueueRepository(db, clock),
    audit: createAuditRepository(db, clock),
    cases: createCaseRepository(db, clock),
    reviews: createReviewRepository(db, clock),
    stats: createStatsRepository(db),
    followUpLinks: createFollowUpLinkRepository(db, clock),
    signInFailures: createSignInFailureRepository(db),
    /** Throws when the database does not answer (readiness probe). */
    async ping(): Promise<void> {
      db.get(sql`select 1`);
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
