// All repositories over one database handle. Nothing outside src/repositories touches SQL.
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { createAccountTokenRepository } from './account-tokens.js';
import { createAuditRepository } from './audit.js';
import { createCaseVisitRepository } from './case-visits.js';
import { createCaseRepository } from './cases.js';
import { createFollowUpLinkRepository } from './follow-up-links.js';
import { createJobRunRepository } from './job-runs.js';
import { createNotificationRepository } from './notifications.js';
import { createOutboxRepository } from './outbox.js';
import { createOutcomeRepository } from './outcomes.js';
import { createQueueRepository } from './queues.js';
import { createReviewRepository } from './reviews.js';
import { createSessionRepository } from './sessions.js';
import { createSignInFailureRepository } from './sign-in-failures.js';
import { createSiteRepository } from './sites.js';
import { createStatsRepository } from './stats.js';
import { createTeachingRepository } from './teaching.js';
import { createUserRepository } from './users.js';

export function createRepositories(database: Database, clock: Clock = systemClock) {
  const outbox = createOutboxRepository(database);
  return {
    outbox,
    notifications: createNotificationRepository(database),
    users: createUserRepository(database, clock),
    sessions: createSessionRepository(database, clock),
    sites: createSiteRepository(database, clock),
    queues: createQueueRepository(database, clock),
    audit: createAuditRepository(database, clock),
    cases: createCaseRepository(database, clock, outbox),
    reviews: createReviewRepository(database, clock, outbox),
    caseVisits: createCaseVisitRepository(database, clock),
    outcomes: createOutcomeRepository(database, clock, outbox),
    stats: createStatsRepository(database),
    teaching: createTeachingRepository(database, clock),
    followUpLinks: createFollowUpLinkRepository(database, clock),
    signInFailures: createSignInFailureRepository(database),
    jobRuns: createJobRunRepository(database),
    accountTokens: createAccountTokenRepository(database, clock),
    /** Throws when the database does not answer (readiness probe). */
    ping: () => database.ping(),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
