// Follow-up links that let a patient or parent send photos to one case without an account.
// A link is usable while it is not revoked, not expired, not used up, and its case is not closed.
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';
import type { followUpLinks } from '../db/schema.js';
import { supportedLanguage } from '../i18n/languages.js';
import { randomId } from '../ids.js';
import type { Language } from '../vocabulary.js';

export type FollowUpLinkRow = typeof followUpLinks.$inferSelect;

export interface NewFollowUpLink {
  caseId: string;
  tokenHash: string;
  createdBy: string;
  expiresAt: number;
  maxPhotos: number;
  /** The parent's language, or null for the browser's. */
  language: Language | null;
}

/** What the public page may know of a usable link: nothing of the patient or the case beyond its clinic. */
export interface UsableLink {
  id: string;
  caseId: string;
  /** The referring site's name, or null when the case has none. */
  siteName: string | null;
  /** The site's phone number or address, for when the link stops working. */
  siteContact: string | null;
  remaining: number;
  /** The language the link was made in, or null. */
  language: Language | null;
}

/** Whom to ask for a new link: the clinic of a link that no longer works. */
export interface ClinicContact {
  siteName: string;
  contact: string;
}

/** What the pages of a link that exists (usable or not) may say beyond the usable page: its language, and whom to ask. */
export interface LinkPageFacts {
  language: Language | null;
  /** The clinic, when it has a contact; null otherwise. */
  clinic: ClinicContact | null;
}

/** Outcome of counting photos against a link: counted, gone (unusable now), or too many for what is left. */
export type CountResult = { ok: true; remaining: number } | { ok: false; reason: 'gone' } | { ok: false; reason: 'limit'; remaining: number };

export function createFollowUpLinkRepository({ db, tables: { cases, followUpLinks, sites } }: Database, clock: Clock) {
  /** One SQL condition for "usable now", shared by lookups and by the counting update. */
  const usable = (now: number) =>
    and(
      isNull(followUpLinks.revokedAt),
      gt(followUpLinks.expiresAt, now),
      lt(followUpLinks.photosReceived, followUpLinks.maxPhotos),
      sql`exists (select 1 from ${cases} where ${cases.id} = ${followUpLinks.caseId} and ${cases.status} <> 'closed')`,
    );

  return {
    async create(input: NewFollowUpLink): Promise<FollowUpLinkRow> {
      const [link] = await db
        .insert(followUpLinks)
        .values({ ...input, id: randomId(), createdAt: clock.now(), photosReceived: 0, revokedAt: null })
        .returning();
      return link!;
    },

    async findById(id: string): Promise<FollowUpLinkRow | null> {
      const [link] = await db.select().from(followUpLinks).where(eq(followUpLinks.id, id)).limit(1);
      return link ?? null;
    },

    async listForCase(caseId: string): Promise<FollowUpLinkRow[]> {
      return db.select().from(followUpLinks).where(eq(followUpLinks.caseId, caseId)).orderBy(desc(followUpLinks.createdAt), desc(followUpLinks.id));
    },

    /** The link behind a token hash if it is usable now; unknown, expired, revoked, used up and closed are all null. */
    async findUsable(tokenHash: string, now = clock.now()): Promise<UsableLink | null> {
      const [row] = await db
        .select({ link: followUpLinks, siteName: sites.name, siteContact: sites.contact })
        .from(followUpLinks)
        .innerJoin(cases, eq(cases.id, followUpLinks.caseId))
        .leftJoin(sites, eq(sites.id, cases.siteId))
        .where(and(eq(followUpLinks.tokenHash, tokenHash), usable(now)))
        .limit(1);
      if (!row) return null;
      return {
        id: row.link.id,
        caseId: row.link.caseId,
        siteName: row.siteName,
        siteContact: row.siteContact,
        remaining: row.link.maxPhotos - row.link.photosReceived,
        language: supportedLanguage(row.link.language),
      };
    },

    /**
     * The language and the clinic's contact behind a token whose link exists, usable or not; null for an unknown
     * token. Asked for the pages that are not the usable page: a link found unusable, an upload that failed.
     */
    async pageFacts(tokenHash: string): Promise<LinkPageFacts | null> {
      const [row] = await db
        .select({ language: followUpLinks.language, siteName: sites.name, contact: sites.contact })
        .from(followUpLinks)
        .innerJoin(cases, eq(cases.id, followUpLinks.caseId))
        .leftJoin(sites, eq(sites.id, cases.siteId))
        .where(eq(followUpLinks.tokenHash, tokenHash))
        .limit(1);
      if (!row) return null;
      return { language: supportedLanguage(row.language), clinic: row.siteName && row.contact ? { siteName: row.siteName, contact: row.contact } : null };
    },

    /**
     * Counts `count` photos against the link with one conditional UPDATE, so concurrent uploads (on any
     * instance) can never take it past maxPhotos. Runs in the transaction `tx` of cases.addPhotos (its
     * beforeInsert), so the count and the photo rows commit together or not at all.
     */
    async countPhotos(tx: Db, linkId: string, count: number, now = clock.now()): Promise<CountResult> {
      const [counted] = await tx
        .update(followUpLinks)
        .set({ photosReceived: sql`${followUpLinks.photosReceived} + ${count}` })
        .where(and(eq(followUpLinks.id, linkId), usable(now), sql`${followUpLinks.photosReceived} + ${count} <= ${followUpLinks.maxPhotos}`))
        .returning({ maxPhotos: followUpLinks.maxPhotos, photosReceived: followUpLinks.photosReceived });
      if (counted) return { ok: true, remaining: counted.maxPhotos - counted.photosReceived };
      const [still] = await tx
        .select({ maxPhotos: followUpLinks.maxPhotos, photosReceived: followUpLinks.photosReceived })
        .from(followUpLinks)
        .where(and(eq(followUpLinks.id, linkId), usable(now)))
        .limit(1);
      return still ? { ok: false, reason: 'limit', remaining: still.maxPhotos - still.photosReceived } : { ok: false, reason: 'gone' };
    },

    /** Revokes the link now; revoking twice keeps the first time. */
    async revoke(id: string, now = clock.now()): Promise<void> {
      await db
        .update(followUpLinks)
        .set({ revokedAt: now })
        .where(and(eq(followUpLinks.id, id), isNull(followUpLinks.revokedAt)));
    },
  };
}

export type FollowUpLinkRepository = ReturnType<typeof createFollowUpLinkRepository>;
