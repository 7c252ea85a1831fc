// The answer a referrer reads once a case is decided: the majority's diagnosis and advice, how many of the
// panel agreed, and each dissenting opinion apart. A dissent is never merged into the advice: a clinician
// told "Biopsy / Urgent referral" cannot tell that one of three specialists alone wanted the referral.
import { diagnosesAgree } from './consensus.js';
import type { Diagnosis, Disposition } from '../vocabulary.js';

/** Most cautious first: when the majority's dispositions differ, the answer takes the most cautious. */
export const DISPOSITION_CAUTION: readonly Disposition[] = ['urgent-referral', 'refer-in-person', 'biopsy', 'treat-locally', 'reassure'];

export interface OpinionForAnswer {
  diagnosis: Diagnosis;
  management: string;
  disposition: Disposition;
  createdAt: number;
}

export interface Answer {
  diagnosis: Diagnosis;
  management: string;
  disposition: Disposition;
  /** Opinions that agree with the consensus diagnosis. */
  agreeing: number;
  /** Opinions given in all. */
  total: number;
  dissent: { diagnosis: Diagnosis; disposition: Disposition }[];
}

const caution = (d: Disposition) => DISPOSITION_CAUTION.indexOf(d);

export function answerOf(consensus: Diagnosis, opinions: readonly OpinionForAnswer[]): Answer | null {
  const ordered = [...opinions].sort((a, b) => a.createdAt - b.createdAt);
  const majority = ordered.filter((o) => diagnosesAgree(o.diagnosis, consensus));
  if (majority.length === 0) return null;
  // The advice comes whole from one agreeing opinion, the most cautious one (the earliest among equals),
  // so the management text and the disposition always belong together.
  const lead = majority.reduce((best, o) => (caution(o.disposition) < caution(best.disposition) ? o : best));
  return {
    diagnosis: consensus,
    management: lead.management,
    disposition: lead.disposition,
    agreeing: majority.length,
    total: ordered.length,
    dissent: ordered.filter((o) => !majority.includes(o)).map((o) => ({ diagnosis: o.diagnosis, disposition: o.disposition })),
  };
}
