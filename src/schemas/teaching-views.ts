// From rows to what a trainee reads (src/schemas/teaching.ts). A teaching case is blinded until the trainee's
// own opinion: only then does its panel (opinions, consensus, outcome) come with it. Only clinical fields are
// copied: the referrer, the patient reference, the discussion and the timeline never reach a trainee.
import { agreesWithConsensus, teachingCode } from '../cases/teaching.js';
import type { CaseRow, OpinionRow, PhotoRow } from '../repositories/cases.js';
import type { OutcomeRecord, TeachingListRow, TraineeOpinionRow } from '../repositories/teaching.js';
import { isoTime } from './common.js';
import type { TeachingCaseBody, TeachingSummaryBody, TraineeOpinionBody } from './teaching.js';
import { toPhotoBody } from './views.js';

export interface TeachingCaseDetails {
  photos: PhotoRow[];
  ownOpinion: TraineeOpinionRow | null;
  opinions: OpinionRow[];
  outcome: OutcomeRecord | null;
}

const opinionFields = (o: OpinionRow | TraineeOpinionRow) => ({
  diagnosis: o.diagnosis,
  differential: o.differential,
  confidence: o.confidence,
  management: o.management,
  disposition: o.disposition,
});

function agrees(c: CaseRow, diagnosis: TraineeOpinionRow['diagnosis']): boolean {
  return c.consensus !== null && agreesWithConsensus(diagnosis, c.consensus);
}

export function toTeachingSummary({ case: c, photoCount, ownDiagnosis }: TeachingListRow): TeachingSummaryBody {
  return {
    id: c.id,
    code: teachingCode(c.id),
    ageYears: c.ageYears,
    sex: c.sex,
    bodySite: c.bodySite,
    bodySiteCode: c.bodySiteCode,
    photoCount,
    addedAt: isoTime(c.teachingAddedAt!),
    opinionGiven: ownDiagnosis !== null,
    agrees: ownDiagnosis === null ? null : agrees(c, ownDiagnosis),
  };
}

function toTraineeOpinionBody(c: CaseRow, o: TraineeOpinionRow): TraineeOpinionBody {
  return { ...opinionFields(o), createdAt: isoTime(o.createdAt), agrees: agrees(c, o.diagnosis) };
}

export function toTeachingCaseBody(c: CaseRow, details: TeachingCaseDetails): TeachingCaseBody {
  const own = details.ownOpinion;
  const { outcome } = details;
  return {
    id: c.id,
    code: teachingCode(c.id),
    ageYears: c.ageYears,
    sex: c.sex,
    fitzpatrick: c.fitzpatrick,
    bodySite: c.bodySite,
    bodySiteCode: c.bodySiteCode,
    durationDays: c.durationDays,
    history: c.history,
    question: c.question,
    addedAt: isoTime(c.teachingAddedAt!),
    photos: details.photos.map(toPhotoBody),
    ownOpinion: own && toTraineeOpinionBody(c, own),
    // Blinded: nothing of the panel before the trainee has committed to a diagnosis of their own.
    panel:
      own === null || c.consensus === null
        ? null
        : {
            opinions: details.opinions.map(opinionFields),
            consensus: c.consensus,
            agreement: c.agreement,
            outcome: outcome && { kind: outcome.kind, diagnosis: outcome.diagnosis, notes: outcome.notes, recordedAt: isoTime(outcome.recordedAt) },
          },
  };
}
