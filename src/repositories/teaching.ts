// The teaching collection (answered, teaching-consented cases a reviewer put there) and the trainees' own
// opinions on its cases. Who may do what is decided by the routes (src/cases/access.ts, src/cases/teaching.ts).
import { and, asc, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { caseOutcomes, traineeOpinions } from '../db/schema.js';
import { randomId } from '../ids.js';
import type { CaseStatus, Confidence, Diagnosis, Disposition } from '../vocabulary.js';
import { decodeCursor, encodeCursor, type CaseRow } from './cases.js';

export type TraineeOpinionRow = typeof traineeOpinions.$inferSelect;
export type OutcomeRecord = typeof caseOutcomes.$inferSelect;

export interface NewTraineeOpinion {
  diagnosis: Diagnosis;
  differential: Diagnosis[];
  confidence: Confidence;
  management: string;
  disposition: Disposition;
}

export interface TeachingMembership {
  addedAt: number;
  addedBy: { id: string; name: string };
}

/** A teaching case in a trainee's list, with their own diagnosis if they gave one. */
export interface TeachingListRow {
  case: CaseRow;
  photoCount: number;
  ownDiagnosis: Diagnosis | null;
}

/** Only an answered case, with teaching consent, that nobody has put in yet: the update itself keeps the rule under concurrent requests. */
const TEACHABLE_STATUSES: CaseStatus[] = ['answered', 'closed'];

export function createTeachingRepository(database: Database, clock: Clock) {
  const { db, tables } = database;
  const { caseOutcomes, cases, photos, traineeOpinions, users } = tables;
  const inCollection = and(isNotNull(cases.teachingAddedAt), eq(cases.consentTeaching, true));

  return {
    /** Puts the case in the collection; false when it already was there (or no longer qualifies). */
    async add(caseId: string, addedBy: string): Promise<boolean> {
      const rows = await db
        .update(cases)
        .set({ teachingAddedAt: clock.now(), teachingAddedBy: addedBy })
        .where(
          and(
            eq(cases.id, caseId),
            sql`${cases.teachingAddedAt} is null`,
            eq(cases.consentTeaching, true),
            inArray(cases.status, TEACHABLE_STATUSES),
            isNotNull(cases.consensus),
          ),
        )
        .returning({ id: cases.id });
      return rows.length === 1;
    },

    /** Takes the case out of the collection; false when it was not there. Trainees' opinions on it stay theirs. */
    async remove(caseId: string): Promise<boolean> {
      const rows = await db
        .update(cases)
        .set({ teachingAddedAt: null, teachingAddedBy: null })
        .where(and(eq(cases.id, caseId), isNotNull(cases.teachingAddedAt)))
        .returning({ id: cases.id });
      return rows.length === 1;
    },

    /** Who put the case in the collection, and when; null while it is not there. */
    async membership(c: Pick<CaseRow, 'teachingAddedAt' | 'teachingAddedBy'>): Promise<TeachingMembership | null> {
      if (c.teachingAddedAt === null) return null;
      const id = c.teachingAddedBy ?? '';
      const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, id)).limit(1);
      return { addedAt: c.teachingAddedAt, addedBy: { id, name: row?.name ?? '' } };
    },

    /** The collection, the case added last first, each with this trainee's own diagnosis if given. */
    async list(traineeId: string, query: { limit: number; cursor?: string }): Promise<{ items: TeachingListRow[]; nextCursor: string | null }> {
      const filters: SQL[] = [inCollection!];
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (after) filters.push(or(lt(cases.teachingAddedAt, after.createdAt), and(eq(cases.teachingAddedAt, after.createdAt), lt(cases.id, after.id)))!);
      const rows = await db
        .select({
          c: cases,
          photoCount: sql<number>`(select count(*) from ${photos} where ${photos.caseId} = ${cases.id})`,
          ownDiagnosis: traineeOpinions.diagnosis,
        })
        .from(cases)
        .leftJoin(traineeOpinions, and(eq(traineeOpinions.caseId, cases.id), eq(traineeOpinions.traineeId, traineeId)))
        .where(and(...filters))
        .orderBy(desc(cases.teachingAddedAt), desc(cases.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit).map((r) => ({ case: r.c, photoCount: Number(r.photoCount), ownDiagnosis: r.ownDiagnosis ?? null }));
      const last = page[page.length - 1];
      return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.case.teachingAddedAt!, id: last.case.id }) : null };
    },

    async ownOpinion(caseId: string, traineeId: string): Promise<TraineeOpinionRow | null> {
      const [row] = await db
        .select()
        .from(traineeOpinions)
        .where(and(eq(traineeOpinions.caseId, caseId), eq(traineeOpinions.traineeId, traineeId)))
        .limit(1);
      return row ?? null;
    },

    /** Records the trainee's opinion; a second one (even from a concurrent request) is refused by the unique index as a 409. */
    async addOpinion(caseId: string, traineeId: string, input: NewTraineeOpinion): Promise<TraineeOpinionRow> {
      const [row] = await db
        .insert(traineeOpinions)
        .values({ id: randomId(), caseId, traineeId, ...input, createdAt: clock.now() })
        .returning();
      return row!;
    },

    async outcome(caseId: string): Promise<OutcomeRecord | null> {
      const [row] = await db.select().from(caseOutcomes).where(eq(caseOutcomes.caseId, caseId)).limit(1);
      return row ?? null;
    },

    /** Every opinion of this trainee with the consensus of its case, oldest first, for their agreement over time. */
    async opinionsWithConsensus(traineeId: string): Promise<{ diagnosis: Diagnosis; consensus: Diagnosis | null; createdAt: number }[]> {
      return db
        .select({ diagnosis: traineeOpinions.diagnosis, consensus: cases.consensus, createdAt: traineeOpinions.createdAt })
        .from(traineeOpinions)
        .innerJoin(cases, eq(cases.id, traineeOpinions.caseId))
        .where(eq(traineeOpinions.traineeId, traineeId))
        .orderBy(asc(traineeOpinions.createdAt));
    },
  };
}

export type TeachingRepository = ReturnType<typeof createTeachingRepository>;
