// The append-only audit trail: who did what to which record, from where, in which request.
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { randomId } from '../ids.js';
import type { ActorType } from '../vocabulary.js';
import type { LapsedClaim } from './reviews.js';

export interface AuditInput {
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  caseId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent {
  id: string;
  at: number;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  caseId: string | null;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

/** An event as an admin reads it: the acting user's name and email and the case's reference beside the ids. */
export interface AuditEventView extends AuditEvent {
  actorName: string | null;
  actorEmail: string | null;
  /** The case's patientRef, the clinic's own reference (never a name). */
  caseRef: string | null;
}

export interface AuditFilter {
  caseId?: string;
  actor?: string;
  action?: string;
  /** Events at or after this time (epoch ms). */
  from?: number;
  /** Events before this time (epoch ms). */
  to?: number;
  /** Part of the acting user's name or email, any case; % and _ are plain characters. */
  q?: string;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  /** The seq of the last event of the previous page. */
  cursor?: number;
}

/** `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally (backslash as the escape). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createAuditRepository({ db, dialect, tables: { auditEvents, users, cases } }: Database, clock: Clock) {
  // The next number in the trail. SQLite: one more than the last, taken under its single writer's lock.
  // PostgreSQL: a sequence (db/postgres/0001), since instances insert at the same time.
  const nextSeq =
    dialect === 'postgres' ? sql`nextval('audit_events_seq')` : sql`(select coalesce(max(${auditEvents.seq}), 0) + 1 from ${auditEvents})`;

  return {
    async record(event: AuditInput): Promise<void> {
      await db.insert(auditEvents).values({
        id: randomId(),
        seq: nextSeq,
        at: clock.now(),
        actorType: event.actorType,
        actorId: event.actorId,
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId ?? null,
        caseId: event.caseId ?? null,
        requestId: event.requestId ?? null,
        ip: event.ip ?? null,
        detail: event.detail ?? null,
      });
    },

    /** Claims the service took back (their lease lapsed), one `case.claim_lapsed` event each. */
    async recordLapsedClaims(lapsed: readonly LapsedClaim[]): Promise<void> {
      for (const l of lapsed) {
        await this.record({
          actorType: 'system',
          actorId: null,
          action: 'case.claim_lapsed',
          targetType: 'case',
          targetId: l.caseId,
          caseId: l.caseId,
          detail: { reviewerId: l.reviewerId, ...(l.change ? { from: l.change.from, to: l.change.to } : {}) },
        });
      }
    },

    async list(query: AuditQuery): Promise<{ items: AuditEventView[]; nextCursor: number | null }> {
      const filters: SQL[] = [];
      if (query.caseId) filters.push(eq(auditEvents.caseId, query.caseId));
      if (query.actor) filters.push(eq(auditEvents.actorId, query.actor));
      if (query.action) filters.push(eq(auditEvents.action, query.action));
      if (query.from !== undefined) filters.push(gte(auditEvents.at, query.from));
      if (query.to !== undefined) filters.push(lt(auditEvents.at, query.to));
      if (query.q) {
        // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's only for non-ASCII letters.
        // SQLite has no default escape character, hence the explicit one.
        const pattern = containsPattern(query.q);
        const people = db
          .select({ id: users.id })
          .from(users)
          .where(or(sql`lower(${users.name}) like lower(${pattern}) escape '\\'`, sql`lower(${users.email}) like lower(${pattern}) escape '\\'`));
        filters.push(eq(auditEvents.actorType, 'user'), inArray(auditEvents.actorId, people));
      }
      if (query.cursor !== undefined) filters.push(lt(auditEvents.seq, query.cursor));
      const rows = await db
        .select({
          seq: auditEvents.seq,
          id: auditEvents.id,
          at: auditEvents.at,
          actorType: auditEvents.actorType,
          actorId: auditEvents.actorId,
          action: auditEvents.action,
          targetType: auditEvents.targetType,
          targetId: auditEvents.targetId,
          caseId: auditEvents.caseId,
          requestId: auditEvents.requestId,
          ip: auditEvents.ip,
          detail: auditEvents.detail,
          actorName: users.name,
          actorEmail: users.email,
          caseRef: cases.patientRef,
        })
        .from(auditEvents)
        .leftJoin(users, and(eq(auditEvents.actorType, 'user'), eq(users.id, auditEvents.actorId)))
        .leftJoin(cases, eq(cases.id, auditEvents.caseId))
        .where(filters.length ? and(...filters) : undefined)
        .orderBy(desc(auditEvents.seq))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      const nextCursor = rows.length > query.limit ? page[page.length - 1]!.seq : null;
      return { items: page.map(({ seq: _seq, ...event }) => event), nextCursor };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
