// What the outbox's events become: emails to users (with each user's choices) and deliveries to webhooks,
// each a row that a sender leases, tries, and marks sent or schedules again. Leases make every row go to
// one sender at a time, whichever instance it runs on.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/database.js';
import type { emailNotifications, webhookDeliveries, webhooks } from '../db/schema.js';
import { randomId } from '../ids.js';
import { DEFAULT_EMAIL_PREFERENCES, type EmailKind, type EmailPreferences, type EventType, type Role } from '../vocabulary.js';

export type EmailRow = typeof emailNotifications.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export interface Recipient {
  id: string;
  email: string;
  role: Role;
  language: string | null;
  preferences: EmailPreferences;
}

export interface NewEmail {
  eventSeq: number;
  userId: string;
  kind: EmailKind;
  caseId: string | null;
  dedupeKey: string;
  /** held: for the user's daily digest. */
  status: 'pending' | 'held';
}

export function preferencesOf(stored: Partial<EmailPreferences> | null): EmailPreferences {
  return { ...DEFAULT_EMAIL_PREFERENCES, ...(stored ?? {}) };
}

export function createNotificationRepository(database: Database) {
  const { db, tables } = database;
  const { cases, claims, emailNotifications, messages, opinions, userQueues, users, webhookDeliveries, webhooks } = tables;
  const recipientColumns = { id: users.id, email: users.email, role: users.role, language: users.language, stored: users.emailPreferences };
  const toRecipient = (r: { id: string; email: string; role: Role; language: string | null; stored: Partial<EmailPreferences> | null }): Recipient => ({
    id: r.id,
    email: r.email,
    role: r.role,
    language: r.language,
    preferences: preferencesOf(r.stored),
  });

  /** Takes up to `limit` due rows of a table for `leaseMs`: a row taken by one sender is skipped by the others. */
  async function lease(table: typeof emailNotifications | typeof webhookDeliveries, now: number, limit: number, leaseMs: number): Promise<string[]> {
    const due = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.status, 'pending'), lte(table.nextAttemptAt, now), lte(table.leaseUntil, now)))
      .orderBy(asc(table.nextAttemptAt))
      .limit(limit);
    if (due.length === 0) return [];
    const taken = await db
      .update(table)
      .set({ leaseUntil: now + leaseMs })
      .where(and(inArray(table.id, due.map((d) => d.id)), eq(table.status, 'pending'), lte(table.leaseUntil, now)))
      .returning({ id: table.id });
    return taken.map((t) => t.id);
  }

  return {
    // ---- recipients ----

    async user(id: string, on: Db = db): Promise<Recipient | null> {
      const [row] = await on.select(recipientColumns).from(users).where(and(eq(users.id, id), eq(users.disabled, false))).limit(1);
      return row ? toRecipient(row) : null;
    },

    /** The case's referrer, while their account is enabled. */
    async referrerOf(caseId: string, on: Db = db): Promise<Recipient | null> {
      const [row] = await on
        .select(recipientColumns)
        .from(users)
        .innerJoin(cases, eq(cases.referrerId, users.id))
        .where(and(eq(cases.id, caseId), eq(users.disabled, false)))
        .limit(1);
      return row ? toRecipient(row) : null;
    },

    async reviewersOfQueue(slug: string, on: Db = db): Promise<Recipient[]> {
      const rows = await on
        .select(recipientColumns)
        .from(users)
        .innerJoin(userQueues, eq(userQueues.userId, users.id))
        .where(and(eq(userQueues.queueSlug, slug), eq(users.role, 'reviewer'), eq(users.disabled, false)));
      return rows.map(toRecipient);
    },

    async admins(on: Db = db): Promise<Recipient[]> {
      const rows = await on.select(recipientColumns).from(users).where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
      return rows.map(toRecipient);
    },

    /**
     * Reviewers holding a claim on the case, who gave it an opinion, or who asked its referrer for information
     * (asking drops every claim, so the one waiting for the answer would otherwise not hear of it).
     */
    async reviewersOfCase(caseId: string, on: Db = db): Promise<Recipient[]> {
      const rows = await on
        .select(recipientColumns)
        .from(users)
        .where(
          and(
            eq(users.disabled, false),
            or(
              inArray(users.id, on.select({ id: claims.reviewerId }).from(claims).where(eq(claims.caseId, caseId))),
              inArray(users.id, on.select({ id: opinions.reviewerId }).from(opinions).where(eq(opinions.caseId, caseId))),
              inArray(users.id, on.select({ id: messages.authorId }).from(messages).where(and(eq(messages.caseId, caseId), eq(messages.requestInfo, true)))),
            ),
          ),
        );
      return rows.map(toRecipient);
    },

    async preferences(userId: string): Promise<{ preferences: EmailPreferences; language: string | null }> {
      const [row] = await db.select({ stored: users.emailPreferences, language: users.language }).from(users).where(eq(users.id, userId)).limit(1);
      return { preferences: preferencesOf(row?.stored ?? null), language: row?.language ?? null };
    },

    async setPreferences(userId: string, changes: { preferences?: Partial<EmailPreferences>; language?: string }, now: number): Promise<void> {
      await database.transaction(async (tx) => {
        const [row] = await tx.select({ stored: users.emailPreferences }).from(users).where(eq(users.id, userId)).limit(1);
        const set: Partial<typeof users.$inferInsert> = { updatedAt: now };
        if (changes.preferences) set.emailPreferences = { ...(row?.stored ?? {}), ...changes.preferences };
        if (changes.language !== undefined) set.language = changes.language;
        await tx.update(users).set(set).where(eq(users.id, userId));
      });
    },

    // ---- emails ----

    /** Writes emails for an event (in the dispatcher's transaction); one already written for the same change is kept. */
    async addEmails(tx: Db, rows: NewEmail[], now: number): Promise<void> {
      if (rows.length === 0) return;
      await tx
        .insert(emailNotifications)
        .values(rows.map((r) => ({ ...r, id: randomId(), attempts: 0, nextAttemptAt: now, leaseUntil: 0, createdAt: now })))
        .onConflictDoNothing();
    },

    async leaseEmails(now: number, limit: number, leaseMs: number): Promise<EmailRow[]> {
      const ids = await lease(emailNotifications, now, limit, leaseMs);
      if (ids.length === 0) return [];
      return db.select().from(emailNotifications).where(inArray(emailNotifications.id, ids));
    },

    async emailSent(id: string, now: number): Promise<void> {
      await db.update(emailNotifications).set({ status: 'sent', sentAt: now, lastError: null }).where(eq(emailNotifications.id, id));
    },

    /** Another try at `retryAt`, or given up (failed) when null. */
    async emailFailed(id: string, attempts: number, retryAt: number | null, error: string): Promise<void> {
      await db
        .update(emailNotifications)
        .set({ attempts, lastError: error, leaseUntil: 0, ...(retryAt === null ? { status: 'failed' as const } : { nextAttemptAt: retryAt }) })
        .where(eq(emailNotifications.id, id));
    },

    /** Users with emails held for their digest. */
    async usersWithHeldEmails(): Promise<string[]> {
      const rows = await db.selectDistinct({ userId: emailNotifications.userId }).from(emailNotifications).where(eq(emailNotifications.status, 'held'));
      return rows.map((r) => r.userId);
    },

    async heldEmails(userId: string): Promise<EmailRow[]> {
      return db
        .select()
        .from(emailNotifications)
        .where(and(eq(emailNotifications.userId, userId), eq(emailNotifications.status, 'held')))
        .orderBy(asc(emailNotifications.createdAt));
    },

    async markDigested(ids: string[], now: number): Promise<void> {
      if (ids.length) await db.update(emailNotifications).set({ status: 'sent', sentAt: now }).where(and(inArray(emailNotifications.id, ids), eq(emailNotifications.status, 'held')));
    },

    async emailsForUser(userId: string): Promise<EmailRow[]> {
      return db.select().from(emailNotifications).where(eq(emailNotifications.userId, userId)).orderBy(asc(emailNotifications.createdAt));
    },

    // ---- webhooks ----

    async createWebhook(input: { url: string; events: EventType[]; secret: string; createdBy: string }, now: number): Promise<WebhookRow> {
      const [row] = await db
        .insert(webhooks)
        .values({ id: randomId(), ...input, createdAt: now })
        .returning();
      return row!;
    },

    async webhooks(): Promise<WebhookRow[]> {
      return db.select().from(webhooks).where(isNull(webhooks.deletedAt)).orderBy(asc(webhooks.createdAt));
    },

    async findWebhook(id: string): Promise<WebhookRow | null> {
      const [row] = await db.select().from(webhooks).where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt))).limit(1);
      return row ?? null;
    },

    /** Stops deliveries to it (pending ones are dropped as failed); its log stays. */
    async deleteWebhook(id: string, now: number): Promise<boolean> {
      return database.transaction(async (tx) => {
        const gone = await tx.update(webhooks).set({ deletedAt: now }).where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt))).returning({ id: webhooks.id });
        if (gone.length === 0) return false;
        await tx
          .update(webhookDeliveries)
          .set({ status: 'failed', lastError: 'webhook deleted' })
          .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')));
        return true;
      });
    },

    async addDeliveries(tx: Db, eventSeq: number, eventType: EventType, webhookIds: string[], now: number): Promise<void> {
      if (webhookIds.length === 0) return;
      await tx
        .insert(webhookDeliveries)
        .values(webhookIds.map((webhookId) => ({ id: randomId(), webhookId, eventSeq, eventType, status: 'pending' as const, nextAttemptAt: now, createdAt: now })))
        .onConflictDoNothing();
    },

    async leaseDeliveries(now: number, limit: number, leaseMs: number): Promise<(DeliveryRow & { url: string; secret: string })[]> {
      const ids = await lease(webhookDeliveries, now, limit, leaseMs);
      if (ids.length === 0) return [];
      const rows = await db
        .select({ d: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(inArray(webhookDeliveries.id, ids));
      return rows.map((r) => ({ ...r.d, url: r.url, secret: r.secret }));
    },

    async recordAttempt(
      id: string,
      outcome: { delivered: boolean; attempts: number; at: number; responseStatus: number | null; error: string | null; durationMs: number; retryAt: number | null },
    ): Promise<void> {
      const status = outcome.delivered ? ('delivered' as const) : outcome.retryAt === null ? ('failed' as const) : ('pending' as const);
      await db
        .update(webhookDeliveries)
        .set({
          status,
          attempts: outcome.attempts,
          lastAttemptAt: outcome.at,
          responseStatus: outcome.responseStatus,
          lastError: outcome.error,
          durationMs: outcome.durationMs,
          leaseUntil: 0,
          ...(outcome.delivered ? { deliveredAt: outcome.at } : {}),
          ...(outcome.retryAt !== null ? { nextAttemptAt: outcome.retryAt } : {}),
        })
        // A deleted webhook's delivery stays failed.
        .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
    },

    async deliveries(webhookId: string, limit: number): Promise<DeliveryRow[]> {
      return db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, webhookId))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.eventSeq))
        .limit(limit);
    },

    /** Forgets finished emails and deliveries older than `before`. */
    async purge(before: number): Promise<void> {
      await db.delete(emailNotifications).where(and(inArray(emailNotifications.status, ['sent', 'failed']), lte(emailNotifications.createdAt, before)));
      await db.delete(webhookDeliveries).where(and(inArray(webhookDeliveries.status, ['delivered', 'failed']), lte(webhookDeliveries.createdAt, before)));
    },

    /** Pending work, for the health of the dispatcher (tests, operators). */
    async backlog(): Promise<{ emails: number; deliveries: number }> {
      const [e] = await db.select({ n: sql<number>`count(*)` }).from(emailNotifications).where(eq(emailNotifications.status, 'pending'));
      const [d] = await db.select({ n: sql<number>`count(*)` }).from(webhookDeliveries).where(eq(webhookDeliveries.status, 'pending'));
      return { emails: Number(e?.n ?? 0), deliveries: Number(d?.n ?? 0) };
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
