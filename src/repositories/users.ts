// Users and their queue memberships. The password hash leaves this module only through findCredentials.
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';
import type { users } from '../db/schema.js';
import { randomId } from '../ids.js';
import type { Role } from '../vocabulary.js';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  siteId: string | null;
  queues: string[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  siteId: string | null;
  passwordHash: string;
  queues: string[];
}

export interface UserChanges {
  disabled?: boolean;
  email?: string;
  queues?: string[];
  role?: Role;
  name?: string;
  siteId?: string | null;
}

type UserRow = typeof users.$inferSelect;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserRepository(database: Database, clock: Clock) {
  const { db, tables } = database;
  const { sessions, userQueues, users } = tables;

  async function queuesOf(userIds: string[]): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    if (userIds.length === 0) return byUser;
    const rows = await db.select().from(userQueues).where(inArray(userQueues.userId, userIds)).orderBy(asc(userQueues.queueSlug));
    for (const row of rows) {
      const list = byUser.get(row.userId) ?? [];
      list.push(row.queueSlug);
      byUser.set(row.userId, list);
    }
    return byUser;
  }

  function toUser(row: UserRow, queues: string[]): User {
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      siteId: row.siteId,
      queues,
      disabled: row.disabled,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async function find(id: string): Promise<User | null> {
    const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
    return row ? toUser(row, (await queuesOf([row.id])).get(row.id) ?? []) : null;
  }

  async function setQueues(tx: typeof db, userId: string, slugs: readonly string[]): Promise<void> {
    await tx.delete(userQueues).where(eq(userQueues.userId, userId));
    const unique = [...new Set(slugs)];
    if (unique.length) await tx.insert(userQueues).values(unique.map((queueSlug) => ({ userId, queueSlug })));
  }

  return {
    async create(input: NewUser): Promise<User> {
      const id = randomId();
      const now = clock.now();
      await database.transaction(async (tx) => {
        await tx.insert(users).values({
          id,
          email: normalizeEmail(input.email),
          name: input.name,
          role: input.role,
          siteId: input.siteId,
          passwordHash: input.passwordHash,
          disabled: false,
          createdAt: now,
          updatedAt: now,
        });
        await setQueues(tx, id, input.queues);
      });
      return (await find(id))!;
    },

    findById: find,

    /** The user a live session belongs to, in one read (every signed-in request asks). */
    async findBySession(tokenHash: string, now = clock.now()): Promise<User | null> {
      const [row] = await db
        .select({ user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
        .limit(1);
      return row ? toUser(row.user, (await queuesOf([row.user.id])).get(row.user.id) ?? []) : null;
    },

    async emailExists(email: string): Promise<boolean> {
      const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(email))).limit(1);
      return row !== undefined;
    },

    /** The only read that returns the password hash: for login alone. */
    async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
      const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email))).limit(1);
      if (!row) return null;
      return { user: toUser(row, (await queuesOf([row.id])).get(row.id) ?? []), passwordHash: row.passwordHash };
    },

    async list(): Promise<User[]> {
      const rows = await db.select().from(users).orderBy(asc(users.createdAt), asc(users.id));
      const queues = await queuesOf(rows.map((r) => r.id));
      return rows.map((r) => toUser(r, queues.get(r.id) ?? []));
    },

    async update(id: string, changes: UserChanges): Promise<User | null> {
      const found = await database.transaction(async (tx) => {
        const { queues, email, ...columns } = changes;
        const updated = await tx
          .update(users)
          .set({ ...columns, ...(email === undefined ? {} : { email: normalizeEmail(email) }), updatedAt: clock.now() })
          .where(eq(users.id, id))
          .returning({ id: users.id });
        if (updated.length === 0) return false;
        if (queues !== undefined) await setQueues(tx, id, queues);
        return true;
      });
      return found ? find(id) : null;
    },

    /** The only write of a password hash after creation. */
    async setPasswordHash(userId: string, passwordHash: string, on: Db = db): Promise<void> {
      await on.update(users).set({ passwordHash, updatedAt: clock.now() }).where(eq(users.id, userId));
    },

    /** The password hash of one user, to check their current password. */
    async passwordHash(userId: string): Promise<string | null> {
      const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
      return row?.passwordHash ?? null;
    },

    async countActiveAdmins(): Promise<number> {
      const rows = await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
      return rows.length;
    },

    async isQueueMember(userId: string, queueSlug: string): Promise<boolean> {
      const [row] = await db
        .select({ userId: userQueues.userId })
        .from(userQueues)
        .where(and(eq(userQueues.userId, userId), eq(userQueues.queueSlug, queueSlug)))
        .limit(1);
      return row !== undefined;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
