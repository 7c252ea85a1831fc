// The review workflow's writes: claims (leases), opinions, discussion, reroute and close. Each is one
// immediate transaction that reads the case, asks the pure domain (src/cases) what happens, and writes the
// outcome with a compare-and-set on the status and holder count it read, so the result is the same with
// several API instances on PostgreSQL (row lock on UPDATE) as with SQLite's single writer.
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { caseEvents, cases, claims, messages, opinions, queues } from '../db/schema.js';
import { sqlList } from '../db/sql.js';
import { evaluateConsensus, type ConsensusOutcome } from '../cases/consensus.js';
import { canTransition, nextStatus, opinionEvent, type CaseEvent } from '../cases/lifecycle.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { randomId } from '../ids.js';
import { CLAIMABLE_STATUSES, type CaseActorType, type CaseStatus, type Confidence, type Diagnosis, type Disposition } from '../vocabulary.js';
import type { CaseRow, MessageView } from './cases.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface ReviewActor {
  /** `link`: a patient's follow-up link (photos); `system`: the lease sweeper. */
  type: CaseActorType;
  id: string | null;
}

export interface StatusChange {
  from: CaseStatus;
  to: CaseStatus;
}

/** A claim that lapsed and was swept, with the status change it caused (if any), for the audit trail. */
export interface LapsedClaim {
  caseId: string;
  reviewerId: string;
  change: StatusChange | null;
}

export interface NewOpinion {
  diagnosis: Diagnosis;
  differential: Diagnosis[];
  confidence: Confidence;
  management: string;
  disposition: Disposition;
}

export interface OpinionOutcome {
  case: CaseRow;
  opinionId: string;
  outcome: ConsensusOutcome;
  change: StatusChange | null;
  lapsed: LapsedClaim[];
}

export interface CaseChange {
  case: CaseRow;
  change: StatusChange | null;
}

const CLAIM_CANDIDATES = 5;

export function createReviewRepository(db: Db, clock: Clock) {
  function getCase(tx: Tx, caseId: string): CaseRow {
    const row = tx.select().from(cases).where(eq(cases.id, caseId)).get();
    if (!row) throw new NotFoundError('Case not found');
    return row;
  }

  function recordStatus(tx: Tx, caseId: string, status: CaseStatus, actor: ReviewActor, now: number) {
    tx.insert(caseEvents).values({ id: randomId(), caseId, status, at: now, actorType: actor.type, actorId: actor.id }).run();
  }

  /**
   * Writes the case's new state only if its status and holder count are still those read in this
   * transaction; anything else means someone else changed it in between, and this attempt is refused.
   */
  function compareAndSet(tx: Tx, read: CaseRow, changes: Partial<CaseRow>, actor: ReviewActor, now: number, eventAt = now): CaseRow {
    const row = tx
      .update(cases)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(cases.id, read.id), eq(cases.status, read.status), eq(cases.holders, read.holders)))
      .returning()
      .get();
    if (!row) throw new ConflictError('The case changed while this request ran: try again', 'CONCURRENT_CHANGE');
    if (changes.status !== undefined && changes.status !== read.status) recordStatus(tx, read.id, changes.status, actor, eventAt);
    return row;
  }

  /** Ends one reviewer's claim: one holder fewer, and back to the queue when nobody holds it any more. */
  function endClaim(tx: Tx, caseId: string, reviewerId: string, event: CaseEvent, actor: ReviewActor, now: number, eventAt = now): StatusChange | null {
    const removed = tx
      .delete(claims)
      .where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId)))
      .run();
    if (removed.changes !== 1) return null;
    const c = getCase(tx, caseId);
    const holders = Math.max(0, c.holders - 1);
    const to = holders === 0 && canTransition(c.status, event) ? nextStatus(c.status, event) : c.status;
    compareAndSet(tx, c, { holders, status: to }, actor, now, eventAt);
    return to !== c.status ? { from: c.status, to } : null;
  }

  /** Every claim past its expiry returns its slot to the queue (claims_expiry_idx keeps this a range scan). */
  function sweepLapsed(tx: Tx, now: number): LapsedClaim[] {
    const expired = tx
      .select({ caseId: claims.caseId, reviewerId: claims.reviewerId, expiresAt: claims.expiresAt })
      .from(claims)
      .where(lte(claims.expiresAt, now))
      .orderBy(asc(claims.expiresAt))
      .all();
    // The timeline shows the case back in the queue when the lease ran out, not when it was noticed.
    return expired.map(({ caseId, reviewerId, expiresAt }) => ({
      caseId,
      reviewerId,
      change: endClaim(tx, caseId, reviewerId, 'lease_lapsed', { type: 'system', id: null }, now, expiresAt),
    }));
  }

  /** Drops every claim on the case (needs_info, reroute, close): nobody holds it afterwards. */
  function dropAllClaims(tx: Tx, caseId: string) {
    tx.delete(claims).where(eq(claims.caseId, caseId)).run();
  }

  function liveClaim(tx: Tx, caseId: string, reviewerId: string, now: number) {
    return tx
      .select()
      .from(claims)
      .where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId), gt(claims.expiresAt, now)))
      .get();
  }

  function opinionsNeededAfterReroute(tx: Tx, caseId: string, quorum: number): number {
    const given = tx.select({ reviewerId: opinions.reviewerId, diagnosis: opinions.diagnosis, createdAt: opinions.createdAt }).from(opinions).where(eq(opinions.caseId, caseId)).all();
    const result = evaluateConsensus(given, quorum);
    // Opinions already at or past the new quorum without settling it: one more decides, as in a dispute.
    return result.outcome === 'pending' ? result.opinionsNeeded : 1;
  }

  const immediate = { behavior: 'immediate' } as const;

  return {
    /** Sweeps lapsed claims now (also done inside every claim and opinion). */
    async sweepLapsed(now = clock.now()): Promise<LapsedClaim[]> {
      return db.transaction((tx) => sweepLapsed(tx, now), immediate);
    },

    /**
     * Takes the next case of the queue for this reviewer: urgent before soon before routine, oldest first,
     * never one they referred themselves (a clinician may later become a reviewer).
     * The slot is taken by one conditional UPDATE (holders < opinions_needed, status unchanged); the claim
     * row's primary key (case, reviewer) makes a second claim by the same reviewer impossible.
     */
    async claimNext(queueSlug: string, reviewerId: string, leaseMs: number, now = clock.now()): Promise<{ case: CaseRow | null; change: StatusChange | null; expiresAt: number; lapsed: LapsedClaim[] }> {
      return db.transaction((tx) => {
        const lapsed = sweepLapsed(tx, now);
        const expiresAt = now + leaseMs;
        // Written out so that it matches the partial index cases_claimable_idx (queue_slug, urgency_rank,
        // created_at) where status in (...): SQLite uses a partial index only for a literally matching term.
        // The NOT EXISTS probes use opinions (case_id, reviewer_id) and the claims primary key.
        const candidates = tx.all<{ id: string; status: CaseStatus }>(sql`
          select c.id, c.status from cases c
          where c.queue_slug = ${queueSlug} and c.status in (${sqlList(CLAIMABLE_STATUSES)})
            and c.holders < c.opinions_needed
            and c.referrer_id <> ${reviewerId}
            and not exists (select 1 from opinions o where o.case_id = c.id and o.reviewer_id = ${reviewerId})
            and not exists (select 1 from claims k where k.case_id = c.id and k.reviewer_id = ${reviewerId})
          order by c.urgency_rank, c.created_at
          limit ${CLAIM_CANDIDATES}`);
        for (const candidate of candidates) {
          const to = nextStatus(candidate.status, 'claim');
          const taken = tx.run(sql`
            update cases set holders = holders + 1, status = ${to}, updated_at = ${now}
            where id = ${candidate.id} and status = ${candidate.status} and holders < opinions_needed`);
          // Another instance took the last slot or changed the case between our read and this write.
          if (taken.changes !== 1) continue;
          tx.insert(claims).values({ caseId: candidate.id, reviewerId, claimedAt: now, expiresAt }).run();
          if (to !== candidate.status) recordStatus(tx, candidate.id, to, { type: 'user', id: reviewerId }, now);
          return { case: getCase(tx, candidate.id), change: to !== candidate.status ? { from: candidate.status, to } : null, expiresAt, lapsed };
        }
        return { case: null, change: null, expiresAt, lapsed };
      }, immediate);
    },

    async release(caseId: string, reviewerId: string, now = clock.now()): Promise<CaseChange & { lapsed: LapsedClaim[] }> {
      return db.transaction((tx) => {
        const lapsed = sweepLapsed(tx, now);
        if (!liveClaim(tx, caseId, reviewerId, now)) throw new ConflictError('You hold no claim on this case (it may have lapsed)', 'CLAIM_REQUIRED');
        const change = endClaim(tx, caseId, reviewerId, 'release_all', { type: 'user', id: reviewerId }, now);
        return { case: getCase(tx, caseId), change, lapsed };
      }, immediate);
    },

    /**
     * Records an opinion from the holder of a live claim, evaluates consensus over all opinions, and moves
     * the case: pending (back to the queue once nobody holds it), answered, or disputed (one more opinion).
     */
    async addOpinion(caseId: string, reviewerId: string, input: NewOpinion, now = clock.now()): Promise<OpinionOutcome> {
      return db.transaction((tx) => {
        const lapsed = sweepLapsed(tx, now);
        const c = getCase(tx, caseId);
        // Whatever their role now, whoever referred the case never judges it.
        if (c.referrerId === reviewerId) throw new ConflictError('You referred this case: another specialist must give the opinion', 'OWN_CASE');
        const own = tx.select({ id: opinions.id }).from(opinions).where(and(eq(opinions.caseId, caseId), eq(opinions.reviewerId, reviewerId))).get();
        if (own) throw new ConflictError('You have already given an opinion on this case', 'OPINION_EXISTS');
        // Only in_review and disputed cases take opinions: the state machine words the refusal.
        if (c.status !== 'in_review' && c.status !== 'disputed') nextStatus(c.status, 'opinion_pending');
        if (!liveClaim(tx, caseId, reviewerId, now)) {
          throw new ConflictError('Claim this case before giving an opinion (your claim may have lapsed)', 'CLAIM_REQUIRED');
        }

        const opinionId = randomId();
        tx.insert(opinions).values({ id: opinionId, caseId, reviewerId, ...input, createdAt: now }).run();
        const all = tx
          .select({ reviewerId: opinions.reviewerId, diagnosis: opinions.diagnosis, createdAt: opinions.createdAt })
          .from(opinions)
          .where(eq(opinions.caseId, caseId))
          .orderBy(asc(opinions.createdAt), asc(opinions.id))
          .all();
        const result = evaluateConsensus(all, c.quorum);

        tx.delete(claims).where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId))).run();
        const holders = Math.max(0, c.holders - 1);
        let to = nextStatus(c.status, opinionEvent(c.status, result.outcome));
        // Short of quorum with nobody else holding it: the case waits in the queue again.
        if (to === 'in_review' && holders === 0) to = nextStatus(to, 'release_all');

        const row = compareAndSet(
          tx,
          c,
          {
            status: to,
            holders,
            opinionsNeeded: result.opinionsNeeded,
            agreement: result.agreement,
            consensus: result.outcome === 'answered' ? (result.consensus ?? null) : null,
            firstOpinionAt: c.firstOpinionAt ?? now,
            answeredAt: to === 'answered' ? (c.answeredAt ?? now) : c.answeredAt,
            wasDisputed: c.wasDisputed || to === 'disputed',
            // A dispute puts the case back in the queue for a tie-breaker: it waits from now.
            waitingSince: to === 'disputed' ? now : c.waitingSince,
          },
          { type: 'user', id: reviewerId },
          now,
        );
        return { case: row, opinionId, outcome: result.outcome, change: to !== c.status ? { from: c.status, to } : null, lapsed };
      }, immediate);
    },

    /**
     * A message in the case's discussion. `requestInfo` (a reviewer's question) sets needs_info and releases
     * every claim; the referrer's message on a needs_info case returns it to the queue.
     */
    async addMessage(
      caseId: string,
      author: { id: string; isReferrer: boolean },
      body: string,
      requestInfo: boolean,
      now = clock.now(),
    ): Promise<CaseChange & { message: MessageView }> {
      return db.transaction((tx) => {
        const c = getCase(tx, caseId);
        const event: CaseEvent | null = requestInfo ? 'request_info' : author.isReferrer ? 'referrer_reply' : null;
        let to = c.status;
        if (event) to = nextStatus(c.status, event);
        // A reviewer's plain message changes nothing, but a closed case's discussion is over for everyone.
        else if (c.status === 'closed') nextStatus(c.status, 'referrer_reply');
        const id = randomId();
        tx.insert(messages).values({ id, caseId, authorId: author.id, body, requestInfo, createdAt: now }).run();
        if (requestInfo) dropAllClaims(tx, caseId);
        const row = compareAndSet(
          tx,
          c,
          {
            status: to,
            holders: requestInfo ? 0 : c.holders,
            waitingSince: to === 'queued' && c.status !== 'queued' ? now : c.waitingSince,
          },
          { type: 'user', id: author.id },
          now,
        );
        const authorName = tx.get<{ name: string }>(sql`select name from users where id = ${author.id}`)?.name ?? '';
        return {
          case: row,
          change: to !== c.status ? { from: c.status, to } : null,
          message: { id, authorId: author.id, authorName, body, requestInfo, createdAt: now },
        };
      }, immediate);
    },

    /** New photos from the referrer bring a needs_info case back to the queue; elsewhere they change nothing. */
    async photosAdded(caseId: string, actor: ReviewActor, now = clock.now()): Promise<CaseChange> {
      return db.transaction((tx) => {
        const c = getCase(tx, caseId);
        // A closed case keeps its photos but not its status: the photo route decides whether to accept them.
        if (!canTransition(c.status, 'photos_added')) return { case: c, change: null };
        const to = nextStatus(c.status, 'photos_added');
        if (to === c.status) return { case: c, change: null };
        const row = compareAndSet(tx, c, { status: to, waitingSince: now }, actor, now);
        return { case: row, change: { from: c.status, to } };
      }, immediate);
    },

    /** Moves the case to another queue: back to `queued` there, claims dropped, the new queue's quorum. */
    async reroute(caseId: string, queueSlug: string, actor: ReviewActor, now = clock.now()): Promise<CaseChange & { fromQueue: string }> {
      return db.transaction((tx) => {
        const c = getCase(tx, caseId);
        const to = nextStatus(c.status, 'reroute');
        const queue = tx.select().from(queues).where(eq(queues.slug, queueSlug)).get();
        if (!queue) throw new NotFoundError('Queue not found');
        if (queue.slug === c.queueSlug) throw new ConflictError('The case is already in this queue', 'SAME_QUEUE');
        dropAllClaims(tx, caseId);
        const row = compareAndSet(
          tx,
          c,
          {
            status: to,
            queueSlug: queue.slug,
            quorum: queue.quorum,
            opinionsNeeded: opinionsNeededAfterReroute(tx, caseId, queue.quorum),
            holders: 0,
            waitingSince: now,
          },
          actor,
          now,
        );
        return { case: row, change: to !== c.status ? { from: c.status, to } : null, fromQueue: c.queueSlug };
      }, immediate);
    },

    async close(caseId: string, actor: ReviewActor, now = clock.now()): Promise<CaseChange> {
      return db.transaction((tx) => {
        const c = getCase(tx, caseId);
        const to = nextStatus(c.status, 'close');
        dropAllClaims(tx, caseId);
        const row = compareAndSet(tx, c, { status: to, holders: 0 }, actor, now);
        return { case: row, change: { from: c.status, to } };
      }, immediate);
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
