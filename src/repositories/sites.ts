// Clinics and hospitals that refer cases.
import { asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { sites } from '../db/schema.js';
import { randomId } from '../ids.js';
import type { SiteTier } from '../vocabulary.js';

export type Site = typeof sites.$inferSelect;

export interface SiteChanges {
  name?: string;
  tier?: SiteTier;
  /** Null clears it. */
  contact?: string | null;
}

export function createSiteRepository({ db, tables: { sites } }: Database, clock: Clock) {
  return {
    async create(input: { name: string; tier: SiteTier; contact?: string | null }): Promise<Site> {
      const site: Site = { id: randomId(), name: input.name, tier: input.tier, contact: input.contact ?? null, createdAt: clock.now() };
      await db.insert(sites).values(site);
      return site;
    },

    async findById(id: string): Promise<Site | null> {
      const [site] = await db.select().from(sites).where(eq(sites.id, id)).limit(1);
      return site ?? null;
    },

    /** The site with the given changes; null when there is no such site. */
    async update(id: string, changes: SiteChanges): Promise<Site | null> {
      const [site] = await db.update(sites).set(changes).where(eq(sites.id, id)).returning();
      return site ?? null;
    },

    async list(): Promise<Site[]> {
      return db.select().from(sites).orderBy(asc(sites.name), asc(sites.id));
    },
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
