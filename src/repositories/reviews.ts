// The review workflow's writes: claims (leases), opinions, discussion, reroute and close. Each is one
// immediate transaction that reads the case, asks the pure domain (src/cases) what happens, and writes the
// outcome with a compare-and-set on the status and holder count it read, so the result is the same with
// several API instances on PostgreSQL (the case row is read FOR UPDATE, and an UPDATE re-checks its
// condition on the row another transaction just committed) as with SQLite's single writer.
import { and, asc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';
import { sqlList } from '../db/sql.js';
import { evaluateConsensus, type ConsensusOutcome } from '../cases/consensus.js';
import { dueAt } from '../cases/deadlines.js';
import { canTransition, nextStatus, opinionEvent, type CaseEvent } from '../cases/lifecycle.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { randomId } from '../ids.js';
import { CLAIMABLE_STATUSES, OPEN_STATUSES, type CaseActorType, type CaseStatus, type Confidence, type Diagnosis, type Disposition } from '../vocabulary.js';
import type { CaseRow, MessageView, Uploader } from './cases.js';
import type { OutboxRepository } from './outbox.js';

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
/** Tries at one case whose status another claim changed meanwhile (each try follows a commit that changed it). */
const CLAIM_ATTEMPTS_PER_CASE = 4;

export function createReviewRepository(database: Database, clock: Clock, outbox: OutboxRepository) {
  const { caseEvents, cases, claims, messages, opinions, queues, users } = database.tables;

  /** The case as this transaction may change it: locked until the transaction ends (PostgreSQL). */
  async function getCase(tx: Db, caseId: string): Promise<CaseRow> {
    const [row] = await database.forUpdate(tx.select().from(cases).where(eq(cases.id, caseId)).limit(1));
    if (!row) throw new NotFoundError('Case not found');
    return row;
  }

  async function recordStatus(tx: Db, caseId: string, status: CaseStatus, actor: ReviewActor, now: number) {
    // Numbered within the case; the writer holds the case row (compare-and-set), so no two take one number.
    const seq = sql<number>`(select coalesce(max(${caseEvents.seq}), 0) + 1 from ${caseEvents} where ${caseEvents.caseId} = ${caseId})`;
    await tx.insert(caseEvents).values({ id: randomId(), caseId, status, at: now, actorType: actor.type, actorId: actor.id, seq });
  }

  /** Tells the outbox of a status change (or of a move to another queue), in the change's transaction. */
  async function announceUpdate(tx: Db, row: CaseRow, from: CaseRow, actor: ReviewActor, now: number) {
    const data: Record<string, unknown> = { status: row.status, previousStatus: from.status };
    if (row.queueSlug !== from.queueSlug) data.previousQueue = from.queueSlug;
    await outbox.record(tx, now, [{ type: 'case.updated', caseId: row.id, queueSlug: row.queueSlug, actor, data }]);
  }

  /**
   * Writes the case's new state only if its status and holder count are still those read in this
   * transaction; anything else means someone else changed it in between, and this attempt is refused.
   */
  async function compareAndSet(tx: Db, read: CaseRow, changes: Partial<CaseRow>, actor: ReviewActor, now: number, eventAt = now): Promise<CaseRow> {
    const [row] = await tx
      .update(cases)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(cases.id, read.id), eq(cases.status, read.status), eq(cases.holders, read.holders)))
      .returning();
    if (!row) throw new ConflictError('The case changed while this request ran: try again', 'CONCURRENT_CHANGE');
    if (changes.status !== undefined && changes.status !== read.status) await recordStatus(tx, read.id, changes.status, actor, eventAt);
    if (row.status !== read.status || row.queueSlug !== read.queueSlug) await announceUpdate(tx, row, read, actor, now);
    return row;
  }

  /** Ends one reviewer's claim: one holder fewer, and back to the queue when nobody holds it any more. */
  async function endClaim(tx: Db, caseId: string, reviewerId: string, event: CaseEvent, actor: ReviewActor, now: number, eventAt = now): Promise<StatusChange | null> {
    const removed = await tx
      .delete(claims)
      .where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId)))
      .returning({ caseId: claims.caseId });
    // Another transaction (an instance sweeping the same lapsed claim) ended it first.
    if (removed.length !== 1) return null;
    const c = await getCase(tx, caseId);
    const holders = Math.max(0, c.holders - 1);
    const to = holders === 0 && canTransition(c.status, event) ? nextStatus(c.status, event) : c.status;
    await compareAndSet(tx, c, { holders, status: to }, actor, now, eventAt);
    return to !== c.status ? { from: c.status, to } : null;
  }

  /** Every claim past its expiry returns its slot to the queue (claims_expiry_idx keeps this a range scan). */
  async function sweepLapsed(tx: Db, now: number): Promise<LapsedClaim[]> {
    const expired = await tx
      .select({ caseId: claims.caseId, reviewerId: claims.reviewerId, expiresAt: claims.expiresAt })
      .from(claims)
      .where(lte(claims.expiresAt, now))
      .orderBy(asc(claims.expiresAt));
    const lapsed: LapsedClaim[] = [];
    for (const { caseId, reviewerId, expiresAt } of expired) {
      // The timeline shows the case back in the queue when the lease ran out, not when it was noticed.
      const change = await endClaim(tx, caseId, reviewerId, 'lease_lapsed', { type: 'system', id: null }, now, expiresAt);
      lapsed.push({ caseId, reviewerId, change });
    }
    return lapsed;
  }

  /** One message of the discussion, from a user or from a follow-up link's holder. */
  async function insertMessage(tx: Db, c: CaseRow, author: Uploader, body: string, requestInfo: boolean, now: number): Promise<string> {
    const id = randomId();
    const [authorId, linkId] = author.type === 'user' ? [author.id, null] : [null, author.id];
    await tx.insert(messages).values({ id, caseId: c.id, authorType: author.type, authorId, linkId, body, requestInfo, createdAt: now });
    await outbox.record(tx, now, [
      {
        type: 'message.created',
        caseId: c.id,
        queueSlug: c.queueSlug,
        actor: { type: author.type, id: author.id },
        // Who wrote it stays out: a reviewer who has not judged the case yet must not learn who discussed it.
        data: { messageId: id, requestInfo, authorType: author.type, fromReferrer: author.type === 'user' && author.id === c.referrerId },
      },
    ]);
    return id;
  }

  /** Drops every claim on the case (needs_info, reroute, close): nobody holds it afterwards. */
  async function dropAllClaims(tx: Db, caseId: string) {
    await tx.delete(claims).where(eq(claims.caseId, caseId));
  }

  async function hasLiveClaim(tx: Db, caseId: string, reviewerId: string, now: number): Promise<boolean> {
    const [claim] = await tx
      .select({ caseId: claims.caseId })
      .from(claims)
      .where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId), gt(claims.expiresAt, now)))
      .limit(1);
    return claim !== undefined;
  }

  async function opinionsNeededAfterReroute(tx: Db, caseId: string, quorum: number): Promise<number> {
    const given = await tx.select({ reviewerId: opinions.reviewerId, diagnosis: opinions.diagnosis, createdAt: opinions.createdAt }).from(opinions).where(eq(opinions.caseId, caseId));
    const result = evaluateConsensus(given, quorum);
    // Opinions already at or past the new quorum without settling it: one more decides, as in a dispute.
    return result.outcome === 'pending' ? result.opinionsNeeded : 1;
  }

  return {
    /** Sweeps lapsed claims now (also done inside every claim and opinion). */
    async sweepLapsed(now = clock.now()): Promise<LapsedClaim[]> {
      return database.transaction((tx) => sweepLapsed(tx, now));
    },

    /**
     * Takes the next case of the queue for this reviewer: urgent before soon before routine, oldest first,
     * never one they referred themselves (a clinician may later become a reviewer).
     * The slot is taken by one conditional UPDATE (holders < opinions_needed, status unchanged); the claim
     * row's primary key (case, reviewer) makes a second claim by the same reviewer impossible.
     */
    async claimNext(queueSlug: string, reviewerId: string, leaseMs: number, now = clock.now()): Promise<{ case: CaseRow | null; change: StatusChange | null; expiresAt: number; lapsed: LapsedClaim[] }> {
      return database.transaction(async (tx) => {
        const lapsed = await sweepLapsed(tx, now);
        const expiresAt = now + leaseMs;
        // Written out so that it matches the partial index cases_claimable_idx (queue_slug, urgency_rank,
        // created_at) where status in (...): SQLite uses a partial index only for a literally matching term.
        // The NOT EXISTS probes use opinions (case_id, reviewer_id) and the claims primary key.
        const candidates = await database.rows<{ id: string; status: CaseStatus }>(sql`
          select c.id, c.status from cases c
          where c.queue_slug = ${queueSlug} and c.status in (${sqlList(CLAIMABLE_STATUSES)})
            and c.holders < c.opinions_needed
            and c.referrer_id <> ${reviewerId}
            and not exists (select 1 from opinions o where o.case_id = c.id and o.reviewer_id = ${reviewerId})
            and not exists (select 1 from claims k where k.case_id = c.id and k.reviewer_id = ${reviewerId})
          order by c.urgency_rank, c.created_at
          limit ${CLAIM_CANDIDATES}`, tx);
        for (const candidate of candidates) {
          let status = candidate.status;
          for (let attempt = 0; attempt < CLAIM_ATTEMPTS_PER_CASE; attempt++) {
            const to = nextStatus(status, 'claim');
            // On PostgreSQL a concurrent claim of the same case makes this wait for its commit, then test the
            // condition again on the row it wrote: the last slot goes to one of them only.
            const [taken] = await tx
              .update(cases)
              .set({ holders: sql`${cases.holders} + 1`, status: to, updatedAt: now })
              .where(and(eq(cases.id, candidate.id), eq(cases.status, status), lt(cases.holders, cases.opinionsNeeded)))
              .returning();
            if (taken) {
              await tx.insert(claims).values({ caseId: candidate.id, reviewerId, claimedAt: now, expiresAt });
              if (to !== status) {
                await recordStatus(tx, candidate.id, to, { type: 'user', id: reviewerId }, now);
                await announceUpdate(tx, taken, { ...taken, status }, { type: 'user', id: reviewerId }, now);
              }
              return { case: taken, change: to !== status ? { from: status, to } : null, expiresAt, lapsed };
            }
            // Another claim changed the case between our read and this write (queued -> in_review, say): as it
            // is now, it may still have a slot for this reviewer.
            const [fresh] = await tx.select({ status: cases.status, holders: cases.holders, opinionsNeeded: cases.opinionsNeeded }).from(cases).where(eq(cases.id, candidate.id)).limit(1);
            if (!fresh || !(CLAIMABLE_STATUSES as readonly CaseStatus[]).includes(fresh.status) || fresh.holders >= fresh.opinionsNeeded) break;
            status = fresh.status;
          }
        }
        return { case: null, change: null, expiresAt, lapsed };
      });
    },

    async release(caseId: string, reviewerId: string, now = clock.now()): Promise<CaseChange & { lapsed: LapsedClaim[] }> {
      return database.transaction(async (tx) => {
        const lapsed = await sweepLapsed(tx, now);
        if (!(await hasLiveClaim(tx, caseId, reviewerId, now))) throw new ConflictError('You hold no claim on this case (it may have lapsed)', 'CLAIM_REQUIRED');
        const change = await endClaim(tx, caseId, reviewerId, 'release_all', { type: 'user', id: reviewerId }, now);
        return { case: await getCase(tx, caseId), change, lapsed };
      });
    },

    /**
     * Records an opinion from the holder of a live claim, evaluates consensus over all opinions, and moves
     * the case: pending (back to the queue once nobody holds it), answered, or disputed (one more opinion).
     */
    async addOpinion(caseId: string, reviewerId: string, input: NewOpinion, now = clock.now()): Promise<OpinionOutcome> {
      return database.transaction(async (tx) => {
        const lapsed = await sweepLapsed(tx, now);
        const c = await getCase(tx, caseId);
        // Whatever their role now, whoever referred the case never judges it.
        if (c.referrerId === reviewerId) throw new ConflictError('You referred this case: another specialist must give the opinion', 'OWN_CASE');
        const [own] = await tx.select({ id: opinions.id }).from(opinions).where(and(eq(opinions.caseId, caseId), eq(opinions.reviewerId, reviewerId))).limit(1);
        if (own) throw new ConflictError('You have already given an opinion on this case', 'OPINION_EXISTS');
        // Only in_review and disputed cases take opinions: the state machine words the refusal.
        if (c.status !== 'in_review' && c.status !== 'disputed') nextStatus(c.status, 'opinion_pending');
        if (!(await hasLiveClaim(tx, caseId, reviewerId, now))) {
          throw new ConflictError('Claim this case before giving an opinion (your claim may have lapsed)', 'CLAIM_REQUIRED');
        }

        const opinionId = randomId();
        await tx.insert(opinions).values({ id: opinionId, caseId, reviewerId, ...input, createdAt: now });
        const all = await tx
          .select({ reviewerId: opinions.reviewerId, diagnosis: opinions.diagnosis, createdAt: opinions.createdAt })
          .from(opinions)
          .where(eq(opinions.caseId, caseId))
          .orderBy(asc(opinions.createdAt), asc(opinions.id));
        const result = evaluateConsensus(all, c.quorum);

        await tx.delete(claims).where(and(eq(claims.caseId, caseId), eq(claims.reviewerId, reviewerId)));
        const holders = Math.max(0, c.holders - 1);
        let to = nextStatus(c.status, opinionEvent(c.status, result.outcome));
        // Short of quorum with nobody else holding it: the case waits in the queue again.
        if (to === 'in_review' && holders === 0) to = nextStatus(to, 'release_all');

        const row = await compareAndSet(
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
      });
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
      return database.transaction(async (tx) => {
        const c = await getCase(tx, caseId);
        const event: CaseEvent | null = requestInfo ? 'request_info' : author.isReferrer ? 'referrer_reply' : null;
        let to = c.status;
        if (event) to = nextStatus(c.status, event);
        // A reviewer's plain message changes nothing, but a closed case's discussion is over for everyone.
        else if (c.status === 'closed') nextStatus(c.status, 'referrer_reply');
        const id = await insertMessage(tx, c, { type: 'user', id: author.id }, body, requestInfo, now);
        if (requestInfo) await dropAllClaims(tx, caseId);
        const row = await compareAndSet(
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
        const [authorRow] = await tx.select({ name: users.name }).from(users).where(eq(users.id, author.id)).limit(1);
        const authorName = authorRow?.name ?? '';
        return {
          case: row,
          change: to !== c.status ? { from: c.status, to } : null,
          message: { id, authorType: 'user', authorId: author.id, authorName, body, requestInfo, createdAt: now },
        };
      });
    },

    /**
     * The referrer's new photos and, when they wrote one, their message: one reply, written in the photos'
     * transaction `tx` (cases.addPhotos), so that the photos and the message commit together or not at all,
     * and a needs_info case goes back to its queue once, with all of the reply in it. Elsewhere the status
     * stays; a case closed meanwhile refuses the reply (409), photos and all.
     */
    async referrerReply(tx: Db, caseId: string, referrer: { id: string; name: string }, body: string | null, now = clock.now()): Promise<CaseChange & { message: MessageView | null }> {
      const c = await getCase(tx, caseId);
      const to = nextStatus(c.status, 'photos_added');
      let message: MessageView | null = null;
      if (body !== null) {
        const id = await insertMessage(tx, c, { type: 'user', id: referrer.id }, body, false, now);
        message = { id, authorType: 'user', authorId: referrer.id, authorName: referrer.name, body, requestInfo: false, createdAt: now };
      }
      if (to === c.status) return { case: c, change: null, message };
      const row = await compareAndSet(tx, c, { status: to, waitingSince: now }, { type: 'user', id: referrer.id }, now);
      return { case: row, change: { from: c.status, to }, message };
    },

    /**
     * A note from a patient or parent, sent with follow-up photos through a link, in the photos' transaction
     * `tx`: it joins the discussion from the link (no user), and, as the photos do, changes no status.
     */
    async addLinkNote(tx: Db, caseId: string, linkId: string, body: string, now = clock.now()): Promise<MessageView> {
      const id = await insertMessage(tx, await getCase(tx, caseId), { type: 'link', id: linkId }, body, false, now);
      return { id, authorType: 'link', authorId: null, authorName: null, body, requestInfo: false, createdAt: now };
    },

    /** Moves the case to another queue: back to `queued` there, claims dropped, the new queue's quorum. */
    async reroute(caseId: string, queueSlug: string, actor: ReviewActor, now = clock.now()): Promise<CaseChange & { fromQueue: string }> {
      return database.transaction(async (tx) => {
        const c = await getCase(tx, caseId);
        const to = nextStatus(c.status, 'reroute');
        const [queue] = await tx.select().from(queues).where(eq(queues.slug, queueSlug)).limit(1);
        if (!queue) throw new NotFoundError('Queue not found');
        if (queue.slug === c.queueSlug) throw new ConflictError('The case is already in this queue', 'SAME_QUEUE');
        await dropAllClaims(tx, caseId);
        const row = await compareAndSet(
          tx,
          c,
          {
            status: to,
            queueSlug: queue.slug,
            quorum: queue.quorum,
            opinionsNeeded: await opinionsNeededAfterReroute(tx, caseId, queue.quorum),
            holders: 0,
            waitingSince: now,
            // The new queue's target for the case's urgency, still counted from its creation.
            dueAt: dueAt(c.createdAt, c.urgency, queue.deadlineHours),
          },
          actor,
          now,
        );
        return { case: row, change: to !== c.status ? { from: c.status, to } : null, fromQueue: c.queueSlug };
      });
    },

    /**
     * Cases whose deadline has passed unanswered, not yet announced: each is marked and gets one
     * `case.overdue` event in the same transaction, so that whichever instance sweeps, it is told once.
     */
    async announceOverdue(now = clock.now(), limit = 200): Promise<number> {
      return database.transaction(async (tx) => {
        // Written to match the partial index cases_due_idx.
        const due = await database.rows<{ id: string }>(sql`
          select id from cases
          where overdue_notified_at is null and status in (${sqlList(OPEN_STATUSES)}) and due_at <= ${now}
          order by due_at limit ${limit}`, tx);
        if (due.length === 0) return 0;
        const marked = await tx
          .update(cases)
          .set({ overdueNotifiedAt: now })
          .where(and(inArray(cases.id, due.map((d) => d.id)), isNull(cases.overdueNotifiedAt)))
          .returning();
        await outbox.record(
          tx,
          now,
          marked.map((c) => ({
            type: 'case.overdue' as const,
            caseId: c.id,
            queueSlug: c.queueSlug,
            actor: { type: 'system' as const, id: null },
            data: { status: c.status, urgency: c.urgency, dueAt: c.dueAt },
          })),
        );
        return marked.length;
      });
    },

    async close(caseId: string, actor: ReviewActor, now = clock.now()): Promise<CaseChange> {
      return database.transaction(async (tx) => {
        const c = await getCase(tx, caseId);
        const to = nextStatus(c.status, 'close');
        await dropAllClaims(tx, caseId);
        const row = await compareAndSet(tx, c, { status: to, holders: 0 }, actor, now);
        return { case: row, change: { from: c.status, to } };
      });
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
