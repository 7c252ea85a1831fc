// The service's fixed vocabularies, written once. The database enums (src/db/schema.ts), the API schemas
// (src/schemas/), the TypeScript types and the SQL lists of the repositories are all derived from these.

/** trainee: learns from the teaching collection (answered cases with teaching consent), never sees another case. */
export const ROLES = ['admin', 'clinician', 'reviewer', 'trainee'] as const;
export type Role = (typeof ROLES)[number];

export const SITE_TIERS = ['primary', 'secondary', 'tertiary'] as const;
export type SiteTier = (typeof SITE_TIERS)[number];

export const CASE_STATUSES = ['queued', 'in_review', 'needs_info', 'answered', 'disputed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Still waiting for something from a reviewer or the referrer; counted as "open" in queues and stats. */
export const OPEN_STATUSES = ['queued', 'in_review', 'needs_info', 'disputed'] as const satisfies readonly CaseStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Statuses in which a case takes claims: waiting, being reviewed, or waiting for a tie-breaker. */
export const CLAIMABLE_STATUSES = ['queued', 'in_review', 'disputed'] as const satisfies readonly CaseStatus[];

export const URGENCIES = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Claim order: lower first (urgent, soon, routine); within one urgency, the oldest case first. */
export const URGENCY_RANK: Readonly<Record<Urgency, number>> = { urgent: 0, soon: 1, routine: 2 };

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const PHOTO_KINDS = ['overview', 'closeup', 'dermoscopy', 'followup'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/** How a stored photo was made: the upload's own JPEG image data kept (src/photos/lossless-jpeg.ts), or its pixels re-encoded. */
export const PHOTO_ENCODINGS = ['lossless', 'reencoded'] as const;
export type PhotoEncoding = (typeof PHOTO_ENCODINGS)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** From the least to the most cautious. */
export const DISPOSITIONS = ['reassure', 'treat-locally', 'biopsy', 'refer-in-person', 'urgent-referral'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const CODE_SYSTEMS = ['icd10', 'snomed'] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

/** Who put a photo in: a signed-in user, or a patient's follow-up link. */
export const UPLOADER_TYPES = ['user', 'link'] as const;
export type UploaderType = (typeof UPLOADER_TYPES)[number];

/** Who did something, in the audit trail and the timeline. */
export const ACTOR_TYPES = ['user', 'link', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who changes a case's status: a user, a patient's link (photos), or the service (a lapsed claim). */
export const CASE_ACTOR_TYPES = ['user', 'link', 'system'] as const satisfies readonly ActorType[];
export type CaseActorType = (typeof CASE_ACTOR_TYPES)[number];

export interface Diagnosis {
  text: string;
  code?: string;
  system?: CodeSystem;
}

// ---- Notifications and deadlines ----

/** What the outbox records, in the transaction that makes the change; webhooks subscribe to these. */
export const EVENT_TYPES = ['case.created', 'case.updated', 'message.created', 'photos.added', 'case.overdue'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The emails a user may choose (SPEC "Notifications and deadlines"), and the daily digest instead of them. */
export const EMAIL_KINDS = ['newCase', 'answered', 'needsInfo', 'reply', 'followUp', 'overdue'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export type EmailPreferences = Record<EmailKind | 'digest', boolean>;
export const DEFAULT_EMAIL_PREFERENCES: Readonly<EmailPreferences> = {
  newCase: true,
  answered: true,
  needsInfo: true,
  reply: true,
  followUp: true,
  overdue: true,
  digest: false,
};

/** Hours from a case's creation to its answer, per urgency, unless its queue says otherwise. */
export const DEFAULT_DEADLINE_HOURS: Readonly<Record<Urgency, number>> = { urgent: 4, soon: 24, routine: 72 };

export const LANGUAGES = ['en', 'zh-CN', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How an outcome was confirmed: by histology (a biopsy), or clinically (course, response to treatment). */
export const OUTCOME_KINDS = ['histology', 'clinical'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
