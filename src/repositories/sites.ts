// Clinics and hospitals that refer cases.
import { asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { sites } from '../db/schema.js';
import { randomId } from '../ids.js';
import type { SiteTier } from '../vocabulary.js';

export type Site = typeof sites.$inferSelect;

export function createSiteRepository(db: Db, clock: Clock) {
  return {
    async create(input: { name: string; tier: SiteTier }): Promise<Site> {
      const site: Site = { id: randomId(), name: input.name, tier: input.tier, createdAt: clock.now() };
      db.insert(sites).values(site).run();
      return site;
    },

    async findById(id: string): Promise<Site | null> {
      return db.select().from(sites).where(eq(sites.id, id)).get() ?? null;
    },

    async list(): Promise<Site[]> {
      return db.select().from(sites).orderBy(asc(sites.name), asc(sites.id)).all();
    },
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
