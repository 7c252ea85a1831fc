// Specialist queues. Open-case counts join the cases table once it exists (see the cases repository).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queues } from '../db/schema.js';

export type Queue = typeof queues.$inferSelect;

export interface QueueDefinition {
  slug: string;
  name: string;
  quorum: number;
  description: string;
}

export function createQueueRepository(db: Db) {
  return {
    async list(): Promise<Queue[]> {
      return db.select().from(queues).orderBy(asc(queues.slug)).all();
    },

    /** Queues with their open cases and the age of the oldest case waiting to be claimed. */
    async listWithLoad(_now: number): Promise<(Queue & { open: number; oldestWaitingMinutes: number | null })[]> {
      return db
        .select()
        .from(queues)
        .orderBy(asc(queues.slug))
        .all()
        .map((q) => ({ ...q, open: 0, oldestWaitingMinutes: null }));
    },

    async findBySlug(slug: string): Promise<Queue | null> {
      return db.select().from(queues).where(eq(queues.slug, slug)).get() ?? null;
    },

    async create(input: QueueDefinition): Promise<Queue> {
      const queue: Queue = { ...input, createdAt: Date.now() };
      db.insert(queues).values(queue).run();
      return queue;
    },

    /** Adds the given queues when missing; never changes an existing one (an admin may have tuned it). */
    async seed(definitions: readonly QueueDefinition[]): Promise<void> {
      const now = Date.now();
      db.transaction((tx) => {
        for (const d of definitions) {
          tx.insert(queues)
            .values({ ...d, createdAt: now })
            .onConflictDoNothing()
            .run();
        }
      });
    },
  };
}

export type QueueRepository = ReturnType<typeof createQueueRepository>;
