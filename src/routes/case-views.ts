// The shapes of a case and a photo in responses (SPEC "A case in any response"), and the mappers that build
// them. A photo never carries its object key or any storage location.
import { Type, type Static } from 'typebox';
import { canSeeActor, canSeeConsensus, visibleOpinions, type Viewer } from '../cases/access.js';
import type { CaseRow, MessageView, OpinionRow, PhotoRow, TimelineEntry } from '../repositories/cases.js';
import { isoTime } from './schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DiagnosisSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 300 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9.\\- ]+$' })),
    system: Type.Optional(Type.Enum(['icd10', 'snomed'])),
  },
  { additionalProperties: false },
);

export const PhotoSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['overview', 'closeup', 'dermoscopy', 'followup']),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  removedMetadata: Type.Array(Type.String()),
  uploadedBy: Type.Enum(['user', 'link']),
  createdAt: Type.String({ format: 'date-time' }),
});

export const OpinionSchema = Type.Object({
  id: Type.String(),
  reviewer: Type.Object({ id: Type.String(), name: Type.String() }),
  diagnosis: DiagnosisSchema,
  differential: Type.Array(DiagnosisSchema),
  confidence: Type.Enum(['low', 'medium', 'high']),
  management: Type.String(),
  disposition: Type.Enum(['reassure', 'treat-locally', 'biopsy', 'refer-in-person', 'urgent-referral']),
  createdAt: Type.String({ format: 'date-time' }),
});

export const MessageSchema = Type.Object({
  id: Type.String(),
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  body: Type.String(),
  requestInfo: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

const CaseFields = {
  id: Type.String(),
  status: Type.Enum(['queued', 'in_review', 'needs_info', 'answered', 'disputed', 'closed']),
  queue: Type.String(),
  urgency: Type.Enum(['routine', 'soon', 'urgent']),
  patientRef: Type.String(),
  ageYears: Type.Integer(),
  sex: Type.Enum(['female', 'male', 'other', 'unknown']),
  fitzpatrick: Type.Union([Type.Integer(), Type.Null()]),
  bodySite: Type.String(),
  durationDays: Type.Union([Type.Integer(), Type.Null()]),
  history: Type.String(),
  question: Type.String(),
  referrer: Type.Object({ id: Type.String(), name: Type.String() }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const CaseSummarySchema = Type.Object({ ...CaseFields, photoCount: Type.Integer() });

export const CaseSchema = Type.Object({
  ...CaseFields,
  photos: Type.Array(PhotoSchema),
  opinions: Type.Array(OpinionSchema),
  messages: Type.Array(MessageSchema),
  timeline: Type.Array(Type.Object({ status: Type.String(), at: Type.String({ format: 'date-time' }), by: Nullable(Type.String()) })),
  consensus: Type.Union([DiagnosisSchema, Type.Null()]),
  agreement: Type.Union([Type.Number(), Type.Null()]),
});

export type CaseBody = Static<typeof CaseSchema>;

export function toPhotoBody(p: PhotoRow): Static<typeof PhotoSchema> {
  return {
    id: p.id,
    kind: p.kind,
    width: p.width,
    height: p.height,
    bytes: p.bytes,
    sha256: p.sha256,
    removedMetadata: p.removedMetadata,
    uploadedBy: p.uploaderType,
    createdAt: isoTime(p.createdAt),
  };
}

function caseFields(c: CaseRow, referrerName: string) {
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
    durationDays: c.durationDays,
    history: c.history,
    question: c.question,
    referrer: { id: c.referrerId, name: referrerName },
    createdAt: isoTime(c.createdAt),
    updatedAt: isoTime(c.updatedAt),
  };
}

export function toCaseSummary(c: CaseRow & { referrerName: string; photoCount: number }): Static<typeof CaseSummarySchema> {
  return { ...caseFields(c, c.referrerName), photoCount: c.photoCount };
}

export interface CaseDetails {
  referrerName: string;
  photos: PhotoRow[];
  opinions: (OpinionRow & { reviewerName: string })[];
  messages: MessageView[];
  timeline: TimelineEntry[];
}

/** How a blinded reviewer sees another reviewer in the discussion. */
const ANOTHER_REVIEWER = { id: 'reviewer', name: 'Another reviewer' };

export function toCaseBody(viewer: Viewer, c: CaseRow, details: CaseDetails): CaseBody {
  const opinions = visibleOpinions(viewer, c, details.opinions);
  const gaveOpinion = details.opinions.some((o) => o.reviewerId === viewer.id);
  const showConsensus = canSeeConsensus(viewer, c, gaveOpinion);
  const seesActor = canSeeActor(viewer, c, gaveOpinion);
  return {
    ...caseFields(c, details.referrerName),
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
      author: seesActor(m.authorId) ? { id: m.authorId, name: m.authorName } : ANOTHER_REVIEWER,
      body: m.body,
      requestInfo: m.requestInfo,
      createdAt: isoTime(m.createdAt),
    })),
    timeline: details.timeline.map((e) => ({ status: e.status, at: isoTime(e.at), by: seesActor(e.by) ? e.by : null })),
    consensus: showConsensus ? (c.consensus ?? null) : null,
    agreement: showConsensus ? (c.agreement ?? null) : null,
  };
}
