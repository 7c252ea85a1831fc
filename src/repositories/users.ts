// Users and their queue memberships. The password hash leaves this module only through findCredentials.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { userQueues, users } from '../db/schema.js';
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
  queues?: string[];
  role?: Role;
  name?: string;
  siteId?: string | null;
}

type UserRow = typeof users.$inferSelect;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserRepository(db: Db, clock: Clock) {
  function queuesOf(userIds: string[]): Map<string, string[]> {
    const byUser = new Map<string, string[]>();
    if (userIds.length === 0) return byUser;
    const rows = db
      .select()
      .from(userQueues)
      .where(inArray(userQueues.userId, userIds))
      .orderBy(asc(userQueues.queueSlug))
      .all();
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

  function findSync(id: string): User | null {
    const row = db.select().from(users).where(eq(users.id, id)).get();
    return row ? toUser(row, queuesOf([row.id]).get(row.id) ?? []) : null;
  }

  return {
    async create(input: NewUser): Promise<User> {
      const id = randomId();
      const now = clock.now();
      db.transaction((tx) => {
        tx.insert(users)
          .values({
            id,
            email: normalizeEmail(input.email),
            name: input.name,
            role: input.role,
            siteId: input.siteId,
            passwordHash: input.passwordHash,
            disabled: false,
            createdAt: now,
            updatedAt: now,
          })
          .run();
        for (const slug of new Set(input.queues)) tx.insert(userQueues).values({ userId: id, queueSlug: slug }).run();
      });
      return findSync(id)!;
    },

    async findById(id: string): Promise<User | null> {
      return findSync(id);
    },

    async emailExists(email: string): Promise<boolean> {
      return db.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(email))).get() !== undefined;
    },

    /** The only read that returns the password hash: for login alone. */
    async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
      const row = db.select().from(users).where(eq(users.email, normalizeEmail(email))).get();
      if (!row) return null;
      return { user: toUser(row, queuesOf([row.id]).get(row.id) ?? []), passwordHash: row.passwordHash };
    },

    async list(): Promise<User[]> {
      const rows = db.select().from(users).orderBy(asc(users.createdAt), asc(users.id)).all();
      const queues = queuesOf(rows.map((r) => r.id));
      return rows.map((r) => toUser(r, queues.get(r.id) ?? []));
    },

    async update(id: string, changes: UserChanges): Promise<User | null> {
      const found = db.transaction((tx) => {
        const row = tx.select({ id: users.id }).from(users).where(eq(users.id, id)).get();
        if (!row) return false;
        const { queues, ...columns } = changes;
        tx.update(users)
          .set({ ...columns, updatedAt: clock.now() })
          .where(eq(users.id, id))
          .run();
        if (queues !== undefined) {
          tx.delete(userQueues).where(eq(userQueues.userId, id)).run();
          for (const slug of new Set(queues)) tx.insert(userQueues).values({ userId: id, queueSlug: slug }).run();
        }
        return true;
      });
      return found ? findSync(id) : null;
    },

    async countActiveAdmins(): Promise<number> {
      return db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
        .all().length;
    },

    async isQueueMember(userId: string, queueSlug: string): Promise<boolean> {
      return (
        db
          .select({ userId: userQueues.userId })
          .from(userQueues)
          .where(and(eq(userQueues.userId, userId), eq(userQueues.queueSlug, queueSlug)))
          .get() !== undefined
      );
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
