// The shapes a trainee reads (SPEC "Outcomes and learning"): the teaching collection, a teaching case blinded
// until their own opinion and revealed after it, and their agreement over time. No referrer, patient
// reference, discussion, timeline or other trainee is in any of them: the schemas have no field for these.
import { Type, type Static } from 'typebox';
import { OUTCOME_KINDS } from '../vocabulary.js';
import { DiagnosisSchema, PhotoSchema } from './cases.js';
import { ConfidenceSchema, DateTimeSchema, DispositionSchema, SexSchema } from './common.js';

const CODE = Type.String({ description: 'A short name for the teaching case (the clinic’s patient reference is never shown to trainees)' });
const BODY_SITE_CODE = Type.Union([Type.String(), Type.Null()], { description: 'SNOMED CT body structure concept id, when the referrer chose one' });

export const TeachingSummarySchema = Type.Object({
  id: Type.String(),
  code: CODE,
  ageYears: Type.Integer(),
  sex: SexSchema,
  bodySite: Type.String(),
  bodySiteCode: BODY_SITE_CODE,
  photoCount: Type.Integer(),
  addedAt: Type.String({ format: 'date-time', description: 'When it joined the teaching collection' }),
  opinionGiven: Type.Boolean({ description: 'Whether you have given your opinion on it' }),
  agrees: Type.Union([Type.Boolean(), Type.Null()], { description: "Whether your diagnosis agrees with the panel's consensus; null before your opinion" }),
});

const OpinionFields = {
  diagnosis: DiagnosisSchema,
  differential: Type.Array(DiagnosisSchema),
  confidence: ConfidenceSchema,
  management: Type.String(),
  disposition: DispositionSchema,
};

export const TraineeOpinionSchema = Type.Object({
  ...OpinionFields,
  createdAt: DateTimeSchema,
  agrees: Type.Boolean({ description: "Whether the diagnosis agrees with the panel's consensus (the rule of src/cases/concordance.ts)" }),
});

export const TeachingPanelSchema = Type.Object(
  {
    opinions: Type.Array(Type.Object(OpinionFields), { description: "The specialists' opinions, in the order given, without their names: a trainee is measured against the panel, not a person" }),
    consensus: DiagnosisSchema,
    agreement: Type.Union([Type.Number(), Type.Null()], { description: 'Share of the specialists whose diagnosis is the consensus' }),
    outcome: Type.Union(
      [
        Type.Object({
          kind: Type.Enum(OUTCOME_KINDS),
          diagnosis: DiagnosisSchema,
          notes: Type.Union([Type.String(), Type.Null()]),
          recordedAt: DateTimeSchema,
        }),
        Type.Null(),
      ],
      { description: 'The outcome the referrer confirmed later (histology or the clinical course); null when none is recorded' },
    ),
  },
  { description: "What the panel said, shown once you have given your own opinion" },
);

export const TeachingCaseSchema = Type.Object({
  id: Type.String(),
  code: CODE,
  ageYears: Type.Integer(),
  sex: SexSchema,
  fitzpatrick: Type.Union([Type.Integer(), Type.Null()]),
  bodySite: Type.String(),
  bodySiteCode: BODY_SITE_CODE,
  durationDays: Type.Union([Type.Integer(), Type.Null()]),
  history: Type.String(),
  question: Type.String(),
  addedAt: DateTimeSchema,
  photos: Type.Array(PhotoSchema, { description: 'Read each through GET /photos/{id}, as staff do' }),
  ownOpinion: Type.Union([TraineeOpinionSchema, Type.Null()], { description: 'Your opinion; null until you give it (POST /teaching/{id}/opinion)' }),
  panel: Type.Union([TeachingPanelSchema, Type.Null()], { description: 'Null until you have given your own opinion: the case is blinded until then' }),
});

export const LearningSchema = Type.Object({
  opinions: Type.Integer({ description: 'Your opinions on teaching cases' }),
  agreed: Type.Integer({ description: "Of those, the ones whose diagnosis agrees with the panel's consensus" }),
  rate: Type.Union([Type.Number(), Type.Null()], { description: 'agreed / opinions; null before your first opinion' }),
  byMonth: Type.Array(
    Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM, UTC' }), opinions: Type.Integer(), agreed: Type.Integer() }),
    { description: 'Oldest month first; months without an opinion are left out' },
  ),
});

export type TeachingSummaryBody = Static<typeof TeachingSummarySchema>;
export type TeachingCaseBody = Static<typeof TeachingCaseSchema>;
export type TraineeOpinionBody = Static<typeof TraineeOpinionSchema>;
export type LearningBody = Static<typeof LearningSchema>;
