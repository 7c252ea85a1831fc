// The outbox: events written in the transaction of the change they tell of, read by the live event streams
// (after a number) and by the dispatcher (those whose emails and webhook deliveries are not yet written).
import { and, asc, eq, gt, inArray, lt, max, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/database.js';
import type { outboxEvents } from '../db/schema.js';
import type { CaseActorType, EventType } from '../vocabulary.js';

export type OutboxEvent = typeof outboxEvents.$inferSelect;

export interface NewEvent {
  type: EventType;
  caseId: string;
  queueSlug: string;
  actor: { type: CaseActorType; id: string | null };
  /** Ids, statuses, counts: what a receiver needs to find the change, never case text. */
  data: Record<string, unknown>;
}

export function createOutboxRepository(database: Database) {
  const { db, tables: { outboxEvents } } = database;
  let recorded = false;
  const listeners: (() => void)[] = [];
  // Readers wake once a transaction that recorded events has committed (other instances find them by polling).
  database.onCommit(() => {
    if (!recorded) return;
    recorded = false;
    for (const listener of listeners) listener();
  });

  return {
    /** Appends events inside the transaction `tx` of the change; numbered in commit order. */
    async record(tx: Db, at: number, events: NewEvent[]): Promise<void> {
      if (events.length === 0) return;
      await database.lockOutboxNumbering(tx);
      const [last] = await tx.select({ seq: max(outboxEvents.seq) }).from(outboxEvents);
      let seq = last?.seq ?? 0;
      await tx.insert(outboxEvents).values(
        events.map((e) => ({ seq: ++seq, type: e.type, at, caseId: e.caseId, queueSlug: e.queueSlug, actorType: e.actor.type, actorId: e.actor.id, data: e.data })),
      );
      recorded = true;
    },

    /** Calls `listener` after a transaction of this process that recorded events commits. */
    onRecorded(listener: () => void): void {
      listeners.push(listener);
    },

    async lastSeq(): Promise<number> {
      const [last] = await db.select({ seq: max(outboxEvents.seq) }).from(outboxEvents);
      return last?.seq ?? 0;
    },

    async after(seq: number, limit: number): Promise<OutboxEvent[]> {
      return db.select().from(outboxEvents).where(gt(outboxEvents.seq, seq)).orderBy(asc(outboxEvents.seq)).limit(limit);
    },

    async bySeq(seqs: number[]): Promise<OutboxEvent[]> {
      if (seqs.length === 0) return [];
      return db.select().from(outboxEvents).where(inArray(outboxEvents.seq, seqs));
    },

    async undispatched(limit: number, on: Db = db): Promise<OutboxEvent[]> {
      return on.select().from(outboxEvents).where(eq(outboxEvents.dispatched, false)).orderBy(asc(outboxEvents.seq)).limit(limit);
    },

    async markDispatched(tx: Db, seqs: number[]): Promise<void> {
      if (seqs.length) await tx.update(outboxEvents).set({ dispatched: true }).where(inArray(outboxEvents.seq, seqs));
    },

    /**
     * Forgets dispatched events older than `before`: a stream resumes only within that window. The newest
     * event stays whatever its age, so that numbering goes on from it and an old id never comes back.
     */
    async purge(before: number): Promise<number> {
      const gone = await db
        .delete(outboxEvents)
        .where(and(eq(outboxEvents.dispatched, true), lt(outboxEvents.at, before), lt(outboxEvents.seq, sql`(select max(seq) from outbox_events)`)))
        .returning({ seq: outboxEvents.seq });
      return gone.length;
    },

    /** The oldest event still kept (a stream asked to resume before it has missed events). */
    async firstSeq(): Promise<number | null> {
      const [first] = await db.select({ seq: sql<number | null>`min(${outboxEvents.seq})` }).from(outboxEvents);
      return first?.seq ?? null;
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
