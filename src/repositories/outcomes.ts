// The confirmed outcome of a case (histology or the clinical course), one per case, recorded by its referrer.
import { eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { caseOutcomes } from '../db/schema.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { CaseStatus, Diagnosis, OutcomeKind } from '../vocabulary.js';
import type { OutboxRepository } from './outbox.js';

export type OutcomeRow = typeof caseOutcomes.$inferSelect & { recordedByName: string };

export interface NewOutcome {
  kind: OutcomeKind;
  diagnosis: Diagnosis;
  notes: string | null;
}

/** An outcome confirms or corrects an answer: before the case is answered (or closed) there is nothing to compare. */
const OUTCOME_STATUSES: readonly CaseStatus[] = ['answered', 'closed'];

export function createOutcomeRepository(database: Database, clock: Clock, outbox: OutboxRepository) {
  const { db, tables } = database;
  const { caseOutcomes, cases, users } = tables;

  return {
    async find(caseId: string): Promise<OutcomeRow | null> {
      const [row] = await db
        .select({ o: caseOutcomes, recordedByName: users.name })
        .from(caseOutcomes)
        .innerJoin(users, eq(users.id, caseOutcomes.recordedBy))
        .where(eq(caseOutcomes.caseId, caseId))
        .limit(1);
      return row ? { ...row.o, recordedByName: row.recordedByName } : null;
    },

    /**
     * Records the outcome, replacing any earlier one, and tells the live pages (`case.updated`, the status
     * unchanged) in the same transaction. 409 CASE_NOT_ANSWERED while the case is still open.
     */
    async record(caseId: string, input: NewOutcome, recordedBy: string): Promise<{ replaced: boolean }> {
      const now = clock.now();
      return database.transaction(async (tx) => {
        // Locked, so that the status read is the one the outcome is recorded against.
        const [c] = await database.forUpdate(tx.select({ status: cases.status, queueSlug: cases.queueSlug }).from(cases).where(eq(cases.id, caseId)).limit(1));
        if (!c) throw new NotFoundError('Case not found');
        if (!OUTCOME_STATUSES.includes(c.status)) throw new ConflictError('An outcome can be recorded once the case is answered or closed', 'CASE_NOT_ANSWERED');
        const [earlier] = await tx.select({ caseId: caseOutcomes.caseId }).from(caseOutcomes).where(eq(caseOutcomes.caseId, caseId)).limit(1);
        const values = { kind: input.kind, diagnosis: input.diagnosis, notes: input.notes, recordedBy, recordedAt: now };
        await tx
          .insert(caseOutcomes)
          .values({ caseId, ...values })
          .onConflictDoUpdate({ target: caseOutcomes.caseId, set: values });
        // The case has changed for whoever has it open: its page compares updatedAt to know.
        await tx.update(cases).set({ updatedAt: now }).where(eq(cases.id, caseId));
        await outbox.record(tx, now, [
          {
            type: 'case.updated',
            caseId,
            queueSlug: c.queueSlug,
            actor: { type: 'user', id: recordedBy },
            data: { status: c.status, previousStatus: c.status, outcomeRecorded: true },
          },
        ]);
        return { replaced: earlier !== undefined };
      });
    },
  };
}

export type OutcomeRepository = ReturnType<typeof createOutcomeRepository>;
