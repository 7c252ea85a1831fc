// Turns the reviewers' independent opinions on a case into an outcome: pending, answered or disputed.
//
// The rule, with q the queue's quorum and n the number of opinions (one per reviewer):
// - n < q: pending, q - n more opinions needed.
// - n = q: answered when every opinion agrees with one of them, else disputed, needing one more
//   (tie-breaking) opinion. Unanimity, because the spec's quorum means "independent opinions
//   that agree".
// - n > q (tie-breakers given): answered with the diagnosis a strict majority (more than n/2)
//   agrees with, else still disputed, needing one more. So 2 vs 1 settles a dispute, while
//   2 vs 1 vs 1 does not: a plurality over a split panel is not a consensus.
//
// Agreement between two diagnoses: when both carry a code of the same system, the codes decide
// (so "Psoriasis" L40.0 and "Chronic plaque psoriasis" L40.0 agree); otherwise their normalized
// texts decide. A code without a system is ignored, as it cannot be compared safely.

import type { Diagnosis } from '../vocabulary.js';

export interface OpinionForConsensus {
  reviewerId: string;
  diagnosis: Diagnosis;
  createdAt: Date | string | number;
}

export const CONSENSUS_OUTCOMES = ['pending', 'answered', 'disputed'] as const;
export type ConsensusOutcome = (typeof CONSENSUS_OUTCOMES)[number];

export interface ConsensusResult {
  outcome: ConsensusOutcome;
  /** Only once answered: blinded reviewers and the referrer must not see a provisional leader. */
  consensus?: Diagnosis;
  /**
   * Share of the opinions agreeing with the consensus (answered), or with the best-supported
   * diagnosis (pending, disputed); 0 without opinions.
   */
  agreement: number;
  /** Further opinions needed before the outcome can change: 0 once answered. */
  opinionsNeeded: number;
}

/** Lower-case, accent-free, punctuation-free text, so "Lichen planus." matches "lichen  Planus". */
export function normalizeDiagnosisText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Upper-case without dots or spaces, so ICD-10 "l40.0" and "L40 0" match "L400". */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[.\s]+/g, '');
}

function codedKey(d: Diagnosis): string | undefined {
  if (!d.system || d.code === undefined) return undefined;
  const code = normalizeCode(d.code);
  return code === '' ? undefined : `${d.system}:${code}`;
}

/** A stable key for grouping: `icd10:L400` when coded, else `text:plaque psoriasis`. */
export function diagnosisKey(d: Diagnosis): string {
  return codedKey(d) ?? `text:${normalizeDiagnosisText(d.text)}`;
}

export function diagnosesAgree(a: Diagnosis, b: Diagnosis): boolean {
  const codeA = codedKey(a);
  const codeB = codedKey(b);
  if (codeA !== undefined && codeB !== undefined && a.system === b.system) return codeA === codeB;
  // Different systems cannot be mapped onto each other here, so fall back to the words.
  const textA = normalizeDiagnosisText(a.text);
  return textA !== '' && textA === normalizeDiagnosisText(b.text);
}

function timeOf(at: Date | string | number): number {
  return at instanceof Date ? at.getTime() : new Date(at).getTime();
}

export function evaluateConsensus(opinions: readonly OpinionForConsensus[], quorum: number): ConsensusResult {
  if (!Number.isInteger(quorum) || quorum < 1) throw new RangeError(`quorum must be a positive integer, got ${quorum}`);

  // A reviewer counts once (the claim rules forbid a second opinion); keep the earliest.
  const ordered = [...opinions].sort((a, b) => timeOf(a.createdAt) - timeOf(b.createdAt));
  const seen = new Set<string>();
  const counted = ordered.filter((o) => !seen.has(o.reviewerId) && seen.add(o.reviewerId));
  const n = counted.length;
  if (n === 0) return { outcome: 'pending', agreement: 0, opinionsNeeded: quorum };

  // Agreement by text is not transitive with agreement by code, so measure each opinion's
  // support directly rather than grouping by key. Ties prefer a coded diagnosis (it can be
  // reported in FHIR), then the earliest.
  let best = counted[0]!;
  let bestSupport = -1;
  for (const candidate of counted) {
    const support = counted.filter((o) => diagnosesAgree(candidate.diagnosis, o.diagnosis)).length;
    const better =
      support > bestSupport ||
      (support === bestSupport && codedKey(candidate.diagnosis) !== undefined && codedKey(best.diagnosis) === undefined);
    if (better) {
      best = candidate;
      bestSupport = support;
    }
  }
  const agreement = bestSupport / n;

  if (n < quorum) return { outcome: 'pending', agreement, opinionsNeeded: quorum - n };
  const settled = n === quorum ? bestSupport === n : bestSupport * 2 > n;
  if (settled) return { outcome: 'answered', consensus: best.diagnosis, agreement, opinionsNeeded: 0 };
  return { outcome: 'disputed', agreement, opinionsNeeded: 1 };
}
