// The shapes of a case and a photo in responses (SPEC "A case in any response"). A photo never carries its
// object key or any storage location. The mappers that fill them in are in views.ts; these files import
// nothing from the server but the vocabulary and the quality warnings (modules without Node APIs), so the
// browser code can take its types from them too.
import { Type, type Static } from 'typebox';
import {
  CaseStatusSchema,
  CodeSystemSchema,
  ConfidenceSchema,
  DateTimeSchema,
  DispositionSchema,
  PhotoKindSchema,
  SexSchema,
  UploaderTypeSchema,
  UrgencySchema,
} from './common.js';
import { QUALITY_WARNINGS } from '../photos/quality.js';
import { OUTCOME_KINDS, PHOTO_ENCODINGS } from '../vocabulary.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const PersonSchema = Type.Object({ id: Type.String(), name: Type.String() });

export const DiagnosisSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 300 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9.\\- ]+$' })),
    system: Type.Optional(CodeSystemSchema),
  },
  { additionalProperties: false },
);

/** SPEC "Photo quality at capture": the measures of src/photos/quality.ts, taken on the photo's thumbnail. */
export const PhotoQualitySchema = Type.Object({
  sharpness: Type.Number({ minimum: 0, description: "Fine detail against the tonal spread (the Laplacian's standard deviation over the luma's); 0 = none" }),
  exposure: Type.Number({ minimum: 0, maximum: 1, description: 'Mean luma, 0 (black) to 1 (white)' }),
  contrast: Type.Number({ minimum: 0, maximum: 1, description: 'Michelson contrast, in linear light, of the 5th and 95th percentile tones of luma (0 = one flat tone); the same whatever the exposure' }),
  shadows: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the picture in deep shadow' }),
  highlights: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the picture blown out (a colour channel at its maximum)' }),
  warnings: Type.Array(Type.Enum(QUALITY_WARNINGS), {
    description: 'What a person should fix, in this order: blurry, too_dark, too_bright, low_contrast, too_small (fewer than 1 megapixel); empty when none. A warning never refuses a photo.',
  }),
});

export const PhotoSchema = Type.Object({
  id: Type.String(),
  kind: PhotoKindSchema,
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  removedMetadata: Type.Array(Type.String()),
  quality: Type.Union([PhotoQualitySchema, Type.Null()], { description: 'Null for a photo stored before its quality was measured' }),
  encoding: Type.Enum(PHOTO_ENCODINGS, { description: "'lossless': the upload's own JPEG image data, every metadata segment removed; 'reencoded': its pixels encoded anew" }),
  uploadedBy: UploaderTypeSchema,
  createdAt: DateTimeSchema,
});

export const OpinionSchema = Type.Object({
  id: Type.String(),
  reviewer: PersonSchema,
  diagnosis: DiagnosisSchema,
  differential: Type.Array(DiagnosisSchema),
  confidence: ConfidenceSchema,
  management: Type.String(),
  disposition: DispositionSchema,
  createdAt: DateTimeSchema,
});

/** SPEC "Outcomes and learning": what the referrer confirmed later, against which the answer is measured. */
export const OutcomeSchema = Type.Object(
  {
    kind: Type.Enum(OUTCOME_KINDS, { description: "'histology': a biopsy's result; 'clinical': the course of the disease (response to treatment)" }),
    diagnosis: DiagnosisSchema,
    notes: Type.Union([Type.String(), Type.Null()]),
    recordedAt: DateTimeSchema,
    recordedBy: PersonSchema,
  },
  { description: 'The confirmed outcome, recorded by the referrer once the case is answered or closed' },
);

/** SPEC "Outcomes and learning": a case a reviewer put in the teaching collection, for trainees to learn from. */
export const TeachingMembershipSchema = Type.Object(
  { addedAt: DateTimeSchema, addedBy: PersonSchema },
  { description: 'In the teaching collection since addedAt, put there by addedBy (a reviewer of its queue or an admin)' },
);

/** The longest message of the discussion, in characters. */
export const MESSAGE_MAX_LENGTH = 5000;

export const MessageSchema = Type.Object({
  id: Type.String(),
  authorType: Type.Enum(['user', 'link'], { description: "'link': a note the patient or parent sent with follow-up photos" }),
  author: Type.Union([PersonSchema, Type.Null()], { description: 'The user who wrote it; null for a note from a follow-up link' }),
  body: Type.String(),
  requestInfo: Type.Boolean(),
  createdAt: DateTimeSchema,
});

/** SPEC "Outcomes and learning": a region of the body map, as a SNOMED CT body structure (src/cases/body-sites.ts). */
export const BodySiteCodeSchema = Type.String({
  pattern: '^[1-9][0-9]{5,17}$',
  description: 'A SNOMED CT body structure concept id, one of the body map regions of src/cases/body-sites.ts (e.g. 66480008, Structure of left forearm)',
});

/** SPEC "Outcomes and learning": what the patient (or parent) agreed to when the case was opened. */
export const ConsentSchema = Type.Object(
  {
    teleconsultation: Type.Boolean({ description: 'Consent to the teleconsultation itself: always true (a case is not opened without it)' }),
    teaching: Type.Boolean({ description: 'Consent to teaching use: the case may then join the teaching collection once answered' }),
  },
  { additionalProperties: false },
);

const CaseFields = {
  id: Type.String(),
  status: CaseStatusSchema,
  queue: Type.String(),
  urgency: UrgencySchema,
  patientRef: Type.String(),
  ageYears: Type.Integer(),
  sex: SexSchema,
  fitzpatrick: Type.Union([Type.Integer(), Type.Null()]),
  bodySite: Type.String(),
  bodySiteCode: Type.Union([BodySiteCodeSchema, Type.Null()], { description: 'The body map region chosen beside the free text; null when none was' }),
  consent: ConsentSchema,
  durationDays: Type.Union([Type.Integer(), Type.Null()]),
  history: Type.String(),
  question: Type.String(),
  referrer: PersonSchema,
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
  dueAt: Type.String({ format: 'date-time', description: "createdAt plus the queue's target for the urgency (urgent 4 h, soon 24 h, routine 72 h unless the queue says otherwise)" }),
  overdue: Type.Boolean({ description: 'Past dueAt and neither answered nor closed' }),
};

export const CaseSummarySchema = Type.Object({ ...CaseFields, photoCount: Type.Integer() });

export const CaseSchema = Type.Object({
  ...CaseFields,
  photos: Type.Array(PhotoSchema),
  opinions: Type.Array(OpinionSchema),
  messages: Type.Array(MessageSchema),
  timeline: Type.Array(
    Type.Object({
      status: Type.String(),
      at: DateTimeSchema,
      by: Nullable(Type.String()),
      actor: Type.Union([PersonSchema, Type.Null()], { description: 'The user who made the change as the reader may see them ("Another reviewer" while blinded); null for the service itself or a follow-up link' }),
      actorType: Type.Enum(['user', 'link', 'system'], { description: "'link': photos from a follow-up link; 'system': the service (e.g. a lapsed claim)" }),
      reason: Type.Optional(Type.String({ description: 'Why the service itself made this change, in plain words' })),
    }),
  ),
  consensus: Type.Union([DiagnosisSchema, Type.Null()]),
  agreement: Type.Union([Type.Number(), Type.Null()]),
  outcome: Type.Union([OutcomeSchema, Type.Null()], {
    description: 'The confirmed outcome (POST /cases/{id}/outcome), shown to those who may see the answer: the referrer, admins, and a reviewer once they have given their own opinion; null when none is recorded or the reader may not see it yet',
  }),
  teaching: Type.Union([TeachingMembershipSchema, Type.Null()], {
    description: 'Membership of the teaching collection (POST /cases/{id}/teaching); null when the case is not in it',
  }),
  lastVisitAt: Type.Optional(
    Type.Union([DateTimeSchema, Type.Null()], {
      description:
        "GET /cases/{id} only: when this reader last opened the case before this read (null the first time); photos, messages and opinions newer than it are new to them. Each read is recorded as this reader's visit",
    }),
  ),
  answer: Type.Optional(
    Type.Object(
      {
        diagnosis: DiagnosisSchema,
        management: Type.String(),
        disposition: DispositionSchema,
        agreeing: Type.Integer({ description: 'Specialists whose diagnosis is the consensus' }),
        total: Type.Integer({ description: 'Specialists who gave an opinion' }),
        dissent: Type.Array(Type.Object({ diagnosis: DiagnosisSchema, disposition: DispositionSchema }), { description: 'Each outvoted opinion, apart from the advice' }),
      },
      { description: "Once answered: the majority's diagnosis and advice (the most cautious disposition among them), never merged with a dissent" },
    ),
  ),
});

export type CaseBody = Static<typeof CaseSchema>;
export type CaseSummaryBody = Static<typeof CaseSummarySchema>;
export type PhotoBody = Static<typeof PhotoSchema>;
export type MessageBody = Static<typeof MessageSchema>;
export type TeachingMembershipBody = Static<typeof TeachingMembershipSchema>;
export type OutcomeBody = Static<typeof OutcomeSchema>;
