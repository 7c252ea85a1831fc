// The teaching collection and what a trainee learns from it: which cases may join, whether a trainee's
// diagnosis agrees with the panel's, and their agreement month by month. Pure rules, no HTTP or SQL.
import type { CaseStatus, Diagnosis } from '../vocabulary.js';
import { agreesWithOutcome } from './concordance.js';

export interface TeachingCandidate {
  status: CaseStatus;
  consensus: Diagnosis | null;
  consentTeaching: boolean;
}

/** Statuses of a case that may teach: the panel has answered (a closed case keeps its answer). */
const TEACHING_STATUSES: readonly CaseStatus[] = ['answered', 'closed'];

export type TeachingRefusal = 'NOT_ANSWERED' | 'NO_TEACHING_CONSENT';

/** Why a case cannot join the teaching collection, or null when it can: it needs the panel's answer and the patient's consent. */
export function teachingRefusal(c: TeachingCandidate): TeachingRefusal | null {
  if (!TEACHING_STATUSES.includes(c.status) || c.consensus === null) return 'NOT_ANSWERED';
  if (!c.consentTeaching) return 'NO_TEACHING_CONSENT';
  return null;
}

/**
 * Whether a trainee's diagnosis agrees with the panel's consensus: the rule that measures the panel against
 * the confirmed outcome (src/cases/concordance.ts), so that "agreement" means one thing across the service.
 */
export function agreesWithConsensus(diagnosis: Diagnosis, consensus: Diagnosis): boolean {
  return agreesWithOutcome(diagnosis, consensus);
}

/** A short name for a teaching case, in place of the clinic's patient reference, which trainees never see. */
export function teachingCode(caseId: string): string {
  return `T-${caseId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}`;
}

export interface LearningMonth {
  /** YYYY-MM, in UTC. */
  month: string;
  opinions: number;
  agreed: number;
}

export interface Learning {
  opinions: number;
  agreed: number;
  /** agreed / opinions; null before the first opinion. */
  rate: number | null;
  /** Oldest month first, only months with opinions. */
  byMonth: LearningMonth[];
}

/** A trainee's agreement over time, from each of their opinions and the consensus of its case. */
export function learningOf(opinions: Iterable<{ diagnosis: Diagnosis; consensus: Diagnosis | null; createdAt: number }>): Learning {
  const months = new Map<string, LearningMonth>();
  let total = 0;
  let agreed = 0;
  for (const o of opinions) {
    // A teaching case always has its consensus; one without could say nothing of agreement.
    if (o.consensus === null) continue;
    const month = new Date(o.createdAt).toISOString().slice(0, 7);
    const entry = months.get(month) ?? { month, opinions: 0, agreed: 0 };
    months.set(month, entry);
    const agrees = agreesWithConsensus(o.diagnosis, o.consensus);
    entry.opinions += 1;
    total += 1;
    if (agrees) {
      entry.agreed += 1;
      agreed += 1;
    }
  }
  const byMonth = [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
  return { opinions: total, agreed, rate: total === 0 ? null : agreed / total, byMonth };
}
