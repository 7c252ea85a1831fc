// Drizzle table definitions. Migrations in db/ are generated from this file by drizzle-kit
// (`npm run db:generate`); never edit a table by hand. Times are epoch milliseconds.
import { sql } from 'drizzle-orm';
import { index, real, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  ACTOR_TYPES,
  CASE_ACTOR_TYPES,
  CASE_STATUSES,
  CLAIMABLE_STATUSES,
  CONFIDENCES,
  DISPOSITIONS,
  EMAIL_KINDS,
  EVENT_TYPES,
  OPEN_STATUSES,
  OUTCOME_KINDS,
  PHOTO_ENCODINGS,
  PHOTO_KINDS,
  ROLES,
  SEXES,
  SITE_TIERS,
  UPLOADER_TYPES,
  URGENCIES,
  type Diagnosis,
  type EmailPreferences,
  type Urgency,
} from '../vocabulary.js';
import type { PhotoQuality } from '../photos/quality.js';
import { sqlList } from './sql.js';

export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tier: text('tier', { enum: SITE_TIERS }).notNull(),
  /** A phone number or address that the follow-up page shows when a link no longer works. */
  contact: text('contact'),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Stored lower-cased so that login is case-insensitive. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    siteId: text('site_id').references(() => sites.id),
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    /** Which emails the user wants; null or a missing key: the default (src/vocabulary.ts). */
    emailPreferences: text('email_preferences', { mode: 'json' }).$type<Partial<EmailPreferences>>(),
    /** The language the user chose; null: the browser's. */
    language: text('language'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_role_idx').on(t.role)],
);

export const queues = sqliteTable('queues', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  quorum: integer('quorum').notNull().default(2),
  description: text('description').notNull().default(''),
  /** Hours to answer per urgency where this queue differs from the defaults (DEFAULT_DEADLINE_HOURS). */
  deadlineHours: text('deadline_hours', { mode: 'json' }).$type<Partial<Record<Urgency, number>>>(),
  createdAt: integer('created_at').notNull(),
});

export const userQueues = sqliteTable(
  'user_queues',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    queueSlug: text('queue_slug')
      .notNull()
      .references(() => queues.slug),
  },
  (t) => [primaryKey({ columns: [t.userId, t.queueSlug] }), index('user_queues_queue_idx').on(t.queueSlug)],
);

/** Bearer tokens: only a SHA-256 of the token is stored, so a database leak yields no usable token. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash_unique').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Append-only: triggers in the migration refuse UPDATE and DELETE. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    /** Monotonic insertion order, used as the pagination cursor. */
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    caseId: text('case_id'),
    requestId: text('request_id'),
    ip: text('ip'),
    /** Small structured detail (ids, statuses, counts): never case text, file names or secrets. */
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('audit_seq_unique').on(t.seq),
    index('audit_case_idx').on(t.caseId, t.seq),
    index('audit_actor_idx').on(t.actorId, t.seq),
  ],
);

// ---- Cases and photos (photo intake) ----

export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    referrerId: text('referrer_id')
      .notNull()
      .references(() => users.id),
    siteId: text('site_id').references(() => sites.id),
    queueSlug: text('queue_slug')
      .notNull()
      .references(() => queues.slug),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    urgency: text('urgency', { enum: URGENCIES }).notNull(),
    /** 0 urgent, 1 soon, 2 routine: claims take the lowest first, then the oldest. */
    urgencyRank: integer('urgency_rank').notNull(),
    patientRef: text('patient_ref').notNull(),
    ageYears: integer('age_years').notNull(),
    sex: text('sex', { enum: SEXES }).notNull(),
    fitzpatrick: integer('fitzpatrick'),
    bodySite: text('body_site').notNull(),
    durationDays: integer('duration_days'),
    history: text('history').notNull(),
    question: text('question').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // ---- review workflow (specialist queues) ----
    /** The queue's quorum when the case entered it. */
    quorum: integer('quorum').notNull().default(2),
    /** Independent opinions still needed (quorum, then 1 per tie-break). */
    opinionsNeeded: integer('opinions_needed').notNull().default(2),
    /** Reviewers holding a live claim: a claim increments it only while holders < opinions_needed. */
    holders: integer('holders').notNull().default(0),
    /** When the case last became claimable (for "oldest waiting"). */
    waitingSince: integer('waiting_since'),
    firstOpinionAt: integer('first_opinion_at'),
    answeredAt: integer('answered_at'),
    wasDisputed: integer('was_disputed', { mode: 'boolean' }).notNull().default(false),
    consensus: text('consensus', { mode: 'json' }).$type<Diagnosis>(),
    agreement: real('agreement'),
    // ---- deadlines ----
    /** created_at plus the queue's target for the case's urgency. */
    dueAt: integer('due_at').notNull().default(0),
    /** When the service announced that due_at had passed unanswered (once per case). */
    overdueNotifiedAt: integer('overdue_notified_at'),
    // ---- structured record and teaching ----
    /** A SNOMED CT body structure concept id (src/cases/body-sites.ts), beside the free-text body_site. */
    bodySiteCode: text('body_site_code'),
    /** Consent given at creation: teleconsultation always (a case cannot exist without it); teaching or not. */
    consentTeleconsultation: integer('consent_teleconsultation', { mode: 'boolean' }).notNull().default(true),
    consentTeaching: integer('consent_teaching', { mode: 'boolean' }).notNull().default(false),
    /** When a reviewer added the (answered, teaching-consented) case to the teaching collection, and who. */
    teachingAddedAt: integer('teaching_added_at'),
    teachingAddedBy: text('teaching_added_by').references(() => users.id),
  },
  (t) => [
    // Only cases a reviewer could claim now: a fully held case leaves the index, so a claim never walks
    // past the cases others are reviewing. Queries must repeat both terms literally for SQLite to use it.
    index('cases_claimable_idx')
      .on(t.queueSlug, t.urgencyRank, t.createdAt)
      .where(sql`status in (${sqlList(CLAIMABLE_STATUSES)}) and holders < opinions_needed`),
    index('cases_referrer_idx').on(t.referrerId, t.createdAt),
    index('cases_queue_idx').on(t.queueSlug, t.createdAt),
    index('cases_status_idx').on(t.status, t.createdAt),
    // The overdue sweep reads only open cases not yet announced, by deadline.
    index('cases_due_idx')
      .on(t.dueAt)
      .where(sql`overdue_notified_at is null and status in (${sqlList(OPEN_STATUSES)})`),
    index('cases_teaching_idx').on(t.teachingAddedAt).where(sql`teaching_added_at is not null`),
  ],
);

export const photos = sqliteTable(
  'photos',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: PHOTO_KINDS }).notNull(),
    objectKey: text('object_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    /** The ≤ 2048 px screen-sized copy; null when the photo itself is no larger (it is then its own display copy). */
    displayKey: text('display_key'),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    thumbBytes: integer('thumb_bytes').notNull(),
    displayBytes: integer('display_bytes'),
    sha256: text('sha256').notNull(),
    removedMetadata: text('removed_metadata', { mode: 'json' }).$type<string[]>().notNull(),
    /** Measured on the thumbnail as the photo was stored (src/photos/quality.ts); null for photos stored before it was measured. */
    quality: text('quality', { mode: 'json' }).$type<PhotoQuality>(),
    /** Whether the upload's own JPEG image data was kept or its pixels re-encoded; every photo stored before the lossless path was re-encoded. */
    encoding: text('encoding', { enum: PHOTO_ENCODINGS }).notNull().default('reencoded'),
    uploaderType: text('uploader_type', { enum: UPLOADER_TYPES }).notNull(),
    uploaderId: text('uploader_id').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Order within one upload, which shares a createdAt. */
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('photos_case_idx').on(t.caseId, t.createdAt),
    uniqueIndex('photos_object_key_unique').on(t.objectKey),
    uniqueIndex('photos_thumb_key_unique').on(t.thumbKey),
    uniqueIndex('photos_display_key_unique').on(t.displayKey),
  ],
);

// ---- Review workflow: claims, opinions, discussion, timeline ----

/** A reviewer's lease on a case; it lapses at expires_at. One row per (case, reviewer): never twice. */
export const claims = sqliteTable(
  'claims',
  {
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    reviewerId: text('reviewer_id')
      .notNull()
      .references(() => users.id),
    claimedAt: integer('claimed_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.reviewerId] }), index('claims_expiry_idx').on(t.expiresAt), index('claims_reviewer_idx').on(t.reviewerId)],
);


export const opinions = sqliteTable(
  'opinions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    reviewerId: text('reviewer_id')
      .notNull()
      .references(() => users.id),
    diagnosis: text('diagnosis', { mode: 'json' }).$type<Diagnosis>().notNull(),
    differential: text('differential', { mode: 'json' }).$type<Diagnosis[]>().notNull(),
    confidence: text('confidence', { enum: CONFIDENCES }).notNull(),
    management: text('management').notNull(),
    disposition: text('disposition', { enum: DISPOSITIONS }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('opinions_case_reviewer_unique').on(t.caseId, t.reviewerId)],
);

/** The confirmed outcome of a case, recorded by its referrer (one per case; recording again replaces it). */
export const caseOutcomes = sqliteTable('case_outcomes', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  kind: text('kind', { enum: OUTCOME_KINDS }).notNull(),
  diagnosis: text('diagnosis', { mode: 'json' }).$type<Diagnosis>().notNull(),
  notes: text('notes'),
  recordedBy: text('recorded_by')
    .notNull()
    .references(() => users.id),
  recordedAt: integer('recorded_at').notNull(),
});

/** A trainee's own opinion on a teaching case, given blinded before they see the panel's. */
export const traineeOpinions = sqliteTable(
  'trainee_opinions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    traineeId: text('trainee_id')
      .notNull()
      .references(() => users.id),
    diagnosis: text('diagnosis', { mode: 'json' }).$type<Diagnosis>().notNull(),
    differential: text('differential', { mode: 'json' }).$type<Diagnosis[]>().notNull(),
    confidence: text('confidence', { enum: CONFIDENCES }).notNull(),
    management: text('management').notNull(),
    disposition: text('disposition', { enum: DISPOSITIONS }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('trainee_opinions_case_trainee_unique').on(t.caseId, t.traineeId), index('trainee_opinions_trainee_idx').on(t.traineeId, t.createdAt)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** A user, or a follow-up link's holder (a patient or parent: their note with the photos). */
    authorType: text('author_type', { enum: UPLOADER_TYPES }).notNull().default('user'),
    /** The user who wrote it; null for a note from a follow-up link. */
    authorId: text('author_id').references(() => users.id),
    /** The follow-up link a patient's note came through. */
    linkId: text('link_id').references(() => followUpLinks.id),
    body: text('body').notNull(),
    requestInfo: integer('request_info', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('messages_case_idx').on(t.caseId, t.createdAt)],
);

/** Every status change, timestamped: the case's timeline and the source of turnaround statistics. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    status: text('status').notNull(),
    at: integer('at').notNull(),
    actorType: text('actor_type', { enum: CASE_ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    /** 1, 2, 3... per case, in the order the changes were made: two changes can share a millisecond. */
    seq: integer('seq').notNull().default(0),
    /** Why the service made this change on its own, in plain words (e.g. routed to general: no reviewer). */
    reason: text('reason'),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.at)],
);

// ---- Follow-up links for patients and parents ----

/** Only a SHA-256 of the link's token is stored; the token itself is shown once, at creation. */
export const followUpLinks = sqliteTable(
  'follow_up_links',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    maxPhotos: integer('max_photos').notNull(),
    /** Photos received or reserved by uploads in flight; never above max_photos. */
    photosReceived: integer('photos_received').notNull().default(0),
    revokedAt: integer('revoked_at'),
    /** The language of the parent's page, chosen when the link was made; null: the browser's. */
    language: text('language'),
  },
  (t) => [uniqueIndex('follow_up_links_token_unique').on(t.tokenHash), index('follow_up_links_case_idx').on(t.caseId)],
);

// ---- Sign-in throttling ----

/**
 * Failed sign-ins in the current window, per account and per client address, in the database so that
 * every instance sees the same counts. The key is a SHA-256 (of the normalized email, or of the address),
 * so nothing a stranger typed into the sign-in form is stored.
 */
/**
 * One-time set-up addresses (their token's hash) printed while no admin exists: each instance that starts
 * without one prints its own; the first admin's creation removes them all.
 */
export const setupTokens = sqliteTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: integer('created_at').notNull(),
});

/** One-time password-reset links an admin issued (their token's hash); used or expired ones are refused. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

export const signInFailures = sqliteTable('sign_in_failures', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  failures: integer('failures').notNull(),
});

// ---- Periodic jobs ----

/**
 * When each periodic job last started, across every instance: an instance runs a job only after moving
 * this time forward with one conditional write, so the fleet runs each job once per period.
 */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  startedAt: integer('started_at').notNull(),
});

/** When each user last opened each case: marks what is new since their previous visit. */
export const caseVisits = sqliteTable(
  'case_visits',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    visitedAt: integer('visited_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.caseId] })],
);

// ---- Notifications: the outbox and what is delivered from it ----

/**
 * The outbox: every change others hear of, written in the transaction that makes it. `seq` numbers the
 * events in commit order (writers take a transaction lock to number them), so it is the id of a
 * Server-Sent Event and a reader resumes after the last one it saw. `dispatched`: the emails and
 * webhook deliveries it calls for have been written.
 */
export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    seq: integer('seq').primaryKey(),
    type: text('type', { enum: EVENT_TYPES }).notNull(),
    at: integer('at').notNull(),
    caseId: text('case_id'),
    /** The case's queue when the event happened. */
    queueSlug: text('queue_slug'),
    actorType: text('actor_type', { enum: CASE_ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    /** Ids, statuses and counts only: never case text. */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    dispatched: integer('dispatched', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('outbox_dispatch_idx').on(t.dispatched, t.seq), index('outbox_at_idx').on(t.at)],
);

/** One email to one user about one event (or several events of one change, which share a dedupe key). */
export const emailNotifications = sqliteTable(
  'email_notifications',
  {
    id: text('id').primaryKey(),
    eventSeq: integer('event_seq').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EMAIL_KINDS }).notNull(),
    caseId: text('case_id'),
    /** kind, case and time of the change: the reply's message and its photos make one email. */
    dedupeKey: text('dedupe_key').notNull(),
    /** held: waits for the user's daily digest. */
    status: text('status', { enum: ['pending', 'held', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** A sender holds the row until then; after a crash another may take it. */
    leaseUntil: integer('lease_until').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('email_notifications_dedupe_unique').on(t.userId, t.dedupeKey), index('email_notifications_due_idx').on(t.status, t.nextAttemptAt)],
);

/** A clinic system that hears of events: POSTs signed with the secret (kept to sign; never shown again). */
export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  createdBy: text('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: integer('created_at').notNull(),
  /** Deleted webhooks keep their delivery log; nothing more is sent to them. */
  deletedAt: integer('deleted_at'),
});

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    eventSeq: integer('event_seq').notNull(),
    eventType: text('event_type', { enum: EVENT_TYPES }).notNull(),
    /** failed: no 2xx within the retry window (24 h). */
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    lastAttemptAt: integer('last_attempt_at'),
    deliveredAt: integer('delivered_at'),
    /** The receiver's HTTP status on the last attempt; null when it could not be reached. */
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    durationMs: integer('duration_ms'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_unique').on(t.webhookId, t.eventSeq),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_log_idx').on(t.webhookId, t.createdAt),
  ],
);
