// The mappers from the database's rows to the response shapes of this folder: times as ISO 8601, storage
// locations and secrets left out, and a case seen through its viewer's blinding (src/cases/access.ts).
import { canSeeActor, canSeeConsensus, canSeeOutcome, visibleOpinions, type Viewer } from '../cases/access.js';
import { answerOf } from '../cases/answer.js';
import { isOverdue } from '../cases/deadlines.js';
import { supportedLanguage } from '../i18n/languages.js';
import type { CaseRow, MessageView, OpinionRow, PhotoRow, TimelineEntry } from '../repositories/cases.js';
import type { FollowUpLinkRow } from '../repositories/follow-up-links.js';
import type { TeachingMembership } from '../repositories/teaching.js';
import type { OutcomeRow } from '../repositories/outcomes.js';
import type { Site } from '../repositories/sites.js';
import type { User } from '../repositories/users.js';
import type { CaseBody, CaseSummaryBody, MessageBody, OutcomeBody, PhotoBody, TeachingMembershipBody } from './cases.js';
import { isoTime } from './common.js';
import type { LinkBody } from './follow-up-links.js';
import type { SiteBody, UserBody } from './users.js';

export function toUserBody(user: User): UserBody {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteId: user.siteId,
    queues: user.queues,
    disabled: user.disabled,
    createdAt: isoTime(user.createdAt),
  };
}

export function toSiteBody(site: Site): SiteBody {
  return { id: site.id, name: site.name, tier: site.tier, contact: site.contact, createdAt: isoTime(site.createdAt) };
}

export function toLinkBody(link: FollowUpLinkRow, now: number): LinkBody {
  const status = link.revokedAt !== null ? 'revoked' : link.expiresAt <= now ? 'expired' : link.photosReceived >= link.maxPhotos ? 'used' : 'active';
  return {
    id: link.id,
    createdBy: link.createdBy,
    createdAt: isoTime(link.createdAt),
    expiresAt: isoTime(link.expiresAt),
    maxPhotos: link.maxPhotos,
    photosReceived: link.photosReceived,
    revokedAt: link.revokedAt === null ? null : isoTime(link.revokedAt),
    language: supportedLanguage(link.language),
    status,
  };
}

export function toPhotoBody(p: PhotoRow): PhotoBody {
  return {
    id: p.id,
    kind: p.kind,
    width: p.width,
    height: p.height,
    bytes: p.bytes,
    sha256: p.sha256,
    removedMetadata: p.removedMetadata,
    quality: p.quality,
    encoding: p.encoding,
    uploadedBy: p.uploaderType,
    createdAt: isoTime(p.createdAt),
  };
}

function caseFields(c: CaseRow, referrerName: string, now: number) {
  return {
    id: c.id,
    status: c.status,
    queue: c.queueSlug,
    urgency: c.urgency,
    patientRef: c.patientRef,
    ageYears: c.ageYears,
    sex: c.sex,
    fitzpatrick: c.fitzpatrick,
    bodySite: c.bodySite,
    bodySiteCode: c.bodySiteCode,
    consent: { teleconsultation: c.consentTeleconsultation, teaching: c.consentTeaching },
    durationDays: c.durationDays,
    history: c.history,
    question: c.question,
    referrer: { id: c.referrerId, name: referrerName },
    createdAt: isoTime(c.createdAt),
    updatedAt: isoTime(c.updatedAt),
    dueAt: isoTime(c.dueAt),
    overdue: isOverdue(c, now),
  };
}

export function toCaseSummary(c: CaseRow & { referrerName: string; photoCount: number }, now: number): CaseSummaryBody {
  return { ...caseFields(c, c.referrerName, now), photoCount: c.photoCount };
}

export interface CaseDetails {
  referrerName: string;
  photos: PhotoRow[];
  opinions: (OpinionRow & { reviewerName: string })[];
  messages: MessageView[];
  timeline: TimelineEntry[];
  outcome: OutcomeRow | null;
  teaching: TeachingMembership | null;
}

/** A message as its author sees it on writing it. */
export function toOwnMessageBody(m: MessageView, author: { id: string; name: string }): MessageBody {
  return { id: m.id, authorType: 'user', author, body: m.body, requestInfo: m.requestInfo, createdAt: isoTime(m.createdAt) };
}

/** How a blinded reviewer sees another reviewer in the discussion. */
const ANOTHER_REVIEWER = { id: 'reviewer', name: 'Another reviewer' };

/** The answer of a decided case, from every opinion given (not only those this viewer may read). */
function answerField(consensus: CaseRow['consensus'], opinions: CaseDetails['opinions']): { answer?: NonNullable<CaseBody['answer']> } {
  const answer = consensus ? answerOf(consensus, opinions) : null;
  return answer ? { answer } : {};
}

export function toOutcomeBody(o: OutcomeRow): OutcomeBody {
  return { kind: o.kind, diagnosis: o.diagnosis, notes: o.notes, recordedAt: isoTime(o.recordedAt), recordedBy: { id: o.recordedBy, name: o.recordedByName } };
}

export function toTeachingMembershipBody(m: TeachingMembership): TeachingMembershipBody {
  return { addedAt: isoTime(m.addedAt), addedBy: m.addedBy };
}

export function toCaseBody(viewer: Viewer, c: CaseRow, details: CaseDetails, now: number): CaseBody {
  const opinions = visibleOpinions(viewer, c, details.opinions);
  const gaveOpinion = details.opinions.some((o) => o.reviewerId === viewer.id);
  const showConsensus = canSeeConsensus(viewer, c, gaveOpinion);
  const seesActor = canSeeActor(viewer, c, gaveOpinion);
  return {
    ...caseFields(c, details.referrerName, now),
    photos: details.photos.map(toPhotoBody),
    opinions: opinions.map((o) => ({
      id: o.id,
      reviewer: { id: o.reviewerId, name: o.reviewerName },
      diagnosis: o.diagnosis,
      differential: o.differential,
      confidence: o.confidence,
      management: o.management,
      disposition: o.disposition,
      createdAt: isoTime(o.createdAt),
    })),
    messages: details.messages.map((m) => ({
      id: m.id,
      authorType: m.authorType,
      author: m.authorId === null ? null : seesActor(m.authorId) ? { id: m.authorId, name: m.authorName ?? '' } : ANOTHER_REVIEWER,
      body: m.body,
      requestInfo: m.requestInfo,
      createdAt: isoTime(m.createdAt),
    })),
    timeline: details.timeline.map((e) => {
      const shown = e.byType === 'user' && e.by !== null && seesActor(e.by);
      return {
        status: e.status,
        at: isoTime(e.at),
        by: shown ? e.by : null,
        actor: shown ? { id: e.by as string, name: e.byName ?? '' } : e.byType === 'user' && e.by !== null ? ANOTHER_REVIEWER : null,
        actorType: e.byType,
        ...(e.reason ? { reason: e.reason } : {}),
      };
    }),
    consensus: showConsensus ? (c.consensus ?? null) : null,
    agreement: showConsensus ? (c.agreement ?? null) : null,
    outcome: details.outcome && canSeeOutcome(viewer, c, gaveOpinion) ? toOutcomeBody(details.outcome) : null,
    teaching: details.teaching && toTeachingMembershipBody(details.teaching),
    ...answerField(showConsensus && c.answeredAt !== null ? c.consensus : null, details.opinions),
  };
}
