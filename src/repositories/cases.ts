// Cases, their photos and what is read with them (opinions, messages, timeline).
// Writes that change a case's review state live in the reviews repository.
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';
import type { cases, opinions, photos } from '../db/schema.js';
import { randomId } from '../ids.js';
import type { PhotoQuality } from '../photos/quality.js';
import { dueAt } from '../cases/deadlines.js';
import type { OutboxRepository } from './outbox.js';
import { URGENCY_RANK, type CaseStatus, type PhotoEncoding, type PhotoKind, type Sex, type UploaderType, type Urgency } from '../vocabulary.js';

export type CaseRow = typeof cases.$inferSelect;
export type PhotoRow = typeof photos.$inferSelect;
export type OpinionRow = typeof opinions.$inferSelect;

export interface NewCase {
  referrerId: string;
  siteId: string | null;
  queueSlug: string;
  urgency: Urgency;
  patientRef: string;
  ageYears: number;
  sex: Sex;
  fitzpatrick: number | null;
  bodySite: string;
  /** A SNOMED CT body structure of the body map (src/cases/body-sites.ts), or null. */
  bodySiteCode: string | null;
  durationDays: number | null;
  history: string;
  question: string;
  consentTeleconsultation: boolean;
  consentTeaching: boolean;
}

/** A sanitized photo already in the object store, about to get its row. */
export interface NewPhoto {
  id: string;
  kind: PhotoKind;
  objectKey: string;
  thumbKey: string;
  /** Null when the photo is no larger than 2048 px on its long side: it is then its own display copy. */
  displayKey: string | null;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  thumbBytes: number;
  displayBytes: number | null;
  sha256: string;
  removedMetadata: string[];
  quality: PhotoQuality;
  encoding: PhotoEncoding;
}

export interface Uploader {
  type: UploaderType;
  id: string;
}

export interface CaseListQuery {
  /** Restricts to one referrer (clinicians see their own cases). */
  referrerId?: string;
  /** Restricts to these queues (reviewers see their queues' cases). */
  queues?: string[];
  status?: CaseStatus;
  queue?: string;
  limit: number;
  cursor?: string;
}

export interface MessageView {
  id: string;
  /** A user, or the holder of a follow-up link (a patient or parent). */
  authorType: 'user' | 'link';
  /** Null for a note sent with follow-up photos. */
  authorId: string | null;
  /** Null for a note sent with follow-up photos. */
  authorName: string | null;
  body: string;
  requestInfo: boolean;
  createdAt: number;
}

export interface TimelineEntry {
  status: string;
  at: number;
  by: string | null;
  /** Who made the change: a user, a follow-up link's holder, or the service itself. */
  byType: 'user' | 'link' | 'system';
  /** The user's name when a user made it. */
  byName: string | null;
  /** Why the service itself decided this, in plain words (e.g. a fallback queue). */
  reason: string | null;
}

/** A page's cursor: the time and id of its last row, for lists in (time, id) order, newest first. */
export function encodeCursor(row: { createdAt: number; id: string }): string {
  return Buffer.from(`${row.createdAt}:${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const createdAt = Number(at);
  return Number.isSafeInteger(createdAt) && id ? { createdAt, id } : null;
}

export function createCaseRepository(database: Database, clock: Clock, outbox: OutboxRepository) {
  const { db, tables } = database;
  const { caseEvents, cases, messages, opinions, photos, queues, users } = tables;

  function photoRows(caseId: string, uploader: Uploader, list: NewPhoto[], now: number) {
    return list.map((p, position) => ({ ...p, caseId, uploaderType: uploader.type, uploaderId: uploader.id, createdAt: now, position }));
  }

  return {
    /** The case, its first photos and its first timeline entry, in one transaction. */
    async create(input: NewCase, newPhotos: NewPhoto[], routingReason: string | null = null): Promise<CaseRow> {
      const now = clock.now();
      const id = randomId();
      return database.transaction(async (tx) => {
        const [queue] = await tx.select({ quorum: queues.quorum, deadlineHours: queues.deadlineHours }).from(queues).where(eq(queues.slug, input.queueSlug)).limit(1);
        const quorum = queue?.quorum ?? 2;
        const due = dueAt(now, input.urgency, queue?.deadlineHours ?? null);
        const [row] = await tx
          .insert(cases)
          .values({
            ...input,
            id,
            status: 'queued',
            urgencyRank: URGENCY_RANK[input.urgency],
            quorum,
            opinionsNeeded: quorum,
            holders: 0,
            waitingSince: now,
            createdAt: now,
            updatedAt: now,
            dueAt: due,
          })
          .returning();
        if (newPhotos.length) await tx.insert(photos).values(photoRows(id, { type: 'user', id: input.referrerId }, newPhotos, now));
        await tx.insert(caseEvents).values({ id: randomId(), caseId: id, status: 'queued', at: now, actorType: 'user', actorId: input.referrerId, seq: 1, reason: routingReason });
        await outbox.record(tx, now, [
          {
            type: 'case.created',
            caseId: id,
            queueSlug: input.queueSlug,
            actor: { type: 'user', id: input.referrerId },
            data: { status: 'queued', urgency: input.urgency, dueAt: due, photos: newPhotos.length },
          },
        ]);
        return row!;
      });
    },

    /**
     * Adds photos to a case. `beforeInsert` runs inside the transaction (e.g. to count a follow-up link's
     * photos) and may throw to abort it, so the rows and the bookkeeping commit together or not at all; it is
     * given the photos' time, for whatever it writes with them (a message sent with the photos).
     */
    async addPhotos(caseId: string, uploader: Uploader, newPhotos: NewPhoto[], beforeInsert?: (tx: Db, now: number) => Promise<void>): Promise<PhotoRow[]> {
      const now = clock.now();
      return database.transaction(async (tx) => {
        await beforeInsert?.(tx, now);
        const rows = await tx.insert(photos).values(photoRows(caseId, uploader, newPhotos, now)).returning();
        const [changed] = await tx.update(cases).set({ updatedAt: now }).where(eq(cases.id, caseId)).returning({ queueSlug: cases.queueSlug });
        await outbox.record(tx, now, [
          {
            type: 'photos.added',
            caseId,
            queueSlug: changed!.queueSlug,
            actor: { type: uploader.type, id: uploader.id },
            data: { photos: rows.length, uploaderType: uploader.type },
          },
        ]);
        return rows;
      });
    },

    async findById(id: string): Promise<CaseRow | null> {
      const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
      return row ?? null;
    },

    async list(query: CaseListQuery): Promise<{ items: (CaseRow & { referrerName: string; photoCount: number })[]; nextCursor: string | null }> {
      const filters: SQL[] = [];
      if (query.referrerId) filters.push(eq(cases.referrerId, query.referrerId));
      if (query.queues) filters.push(query.queues.length ? inArray(cases.queueSlug, query.queues) : sql`0`);
      if (query.status) filters.push(eq(cases.status, query.status));
      if (query.queue) filters.push(eq(cases.queueSlug, query.queue));
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (after) filters.push(or(lt(cases.createdAt, after.createdAt), and(eq(cases.createdAt, after.createdAt), lt(cases.id, after.id)))!);
      const rows = await db
        .select({
          c: cases,
          referrerName: users.name,
          photoCount: sql<number>`(select count(*) from ${photos} where ${photos.caseId} = ${cases.id})`,
        })
        .from(cases)
        .innerJoin(users, eq(users.id, cases.referrerId))
        .where(filters.length ? and(...filters) : undefined)
        .orderBy(desc(cases.createdAt), desc(cases.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit).map((r) => ({ ...r.c, referrerName: r.referrerName, photoCount: r.photoCount }));
      const last = page[page.length - 1];
      return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
    },

    async referrerName(userId: string): Promise<string> {
      const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId)).limit(1);
      return row?.name ?? '';
    },

    async photos(caseId: string): Promise<PhotoRow[]> {
      return db.select().from(photos).where(eq(photos.caseId, caseId)).orderBy(asc(photos.createdAt), asc(photos.position));
    },

    async findPhoto(photoId: string): Promise<PhotoRow | null> {
      const [row] = await db.select().from(photos).where(eq(photos.id, photoId)).limit(1);
      return row ?? null;
    },

    /** Whether a photo refers to the key (as its object, thumbnail or display copy), for reconciliation with the object store. */
    async objectKeyExists(key: string): Promise<boolean> {
      const [row] = await db
        .select({ id: photos.id })
        .from(photos)
        .where(or(eq(photos.objectKey, key), eq(photos.thumbKey, key), eq(photos.displayKey, key)))
        .limit(1);
      return row !== undefined;
    },

    /**
     * Records a display copy made after the photo was stored (photos from before display copies). False
     * when the photo already has one, recorded by a concurrent request: the caller's copy is then surplus.
     */
    async setDisplayCopy(photoId: string, displayKey: string, displayBytes: number): Promise<boolean> {
      const rows = await db
        .update(photos)
        .set({ displayKey, displayBytes })
        .where(and(eq(photos.id, photoId), isNull(photos.displayKey)))
        .returning({ id: photos.id });
      return rows.length === 1;
    },

    async opinions(caseId: string): Promise<(OpinionRow & { reviewerName: string })[]> {
      const rows = await db
        .select({ o: opinions, reviewerName: users.name })
        .from(opinions)
        .innerJoin(users, eq(users.id, opinions.reviewerId))
        .where(eq(opinions.caseId, caseId))
        .orderBy(asc(opinions.createdAt), asc(opinions.id));
      return rows.map((r) => ({ ...r.o, reviewerName: r.reviewerName }));
    },

    async messages(caseId: string): Promise<MessageView[]> {
      const rows = await db
        .select({ m: messages, authorName: users.name })
        .from(messages)
        .leftJoin(users, eq(users.id, messages.authorId))
        .where(eq(messages.caseId, caseId))
        .orderBy(asc(messages.createdAt), asc(messages.id));
      return rows.map((r) => ({
        id: r.m.id,
        authorType: r.m.authorType,
        authorId: r.m.authorId,
        authorName: r.authorName,
        body: r.m.body,
        requestInfo: r.m.requestInfo,
        createdAt: r.m.createdAt,
      }));
    },

    async timeline(caseId: string): Promise<TimelineEntry[]> {
      return db
        .select({ status: caseEvents.status, at: caseEvents.at, by: caseEvents.actorId, byType: caseEvents.actorType, byName: users.name, reason: caseEvents.reason })
        .from(caseEvents)
        .leftJoin(users, and(eq(caseEvents.actorType, 'user'), eq(users.id, caseEvents.actorId)))
        .where(eq(caseEvents.caseId, caseId))
        // Two changes can share a millisecond: their number within the case breaks the tie.
        .orderBy(asc(caseEvents.at), asc(caseEvents.seq));
    },
  };
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;
