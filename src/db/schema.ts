// Drizzle table definitions. Migrations in db/ are generated from this file by drizzle-kit
// (`npm run db:generate`); never edit a table by hand. Times are epoch milliseconds.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tier: text('tier', { enum: ['primary', 'secondary', 'tertiary'] }).notNull(),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Stored lower-cased so that login is case-insensitive. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'clinician', 'reviewer'] }).notNull(),
    siteId: text('site_id').references(() => sites.id),
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
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
    actorType: text('actor_type', { enum: ['user', 'link', 'system', 'anonymous'] }).notNull(),
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
