// Concordance: whether a diagnosis given from the photos (the panel's consensus, or one reviewer's opinion)
// agrees with the outcome the referrer confirmed later (histology, or the clinical course).
//
// The rule, defined here once for the statistics, a reviewer's own figures and the web app:
// - both carry an ICD-10 code (system icd10): they agree when the codes share their category, the first
//   three characters (L40.0 and L40.9 agree: both psoriasis; L40.0 and L20.9 do not, whatever the words);
// - otherwise: they agree when their texts are the same once case, accents, punctuation and spacing are
//   set aside (normalizeDiagnosisText, as for consensus).
// Stricter than category would be unfair to the panel, which sees photos, not the biopsy that sets the
// subtype; looser (the ICD-10 block, L40–L45) would call lichen planus and psoriasis concordant.
import { normalizeCode, normalizeDiagnosisText } from './consensus.js';
import type { Diagnosis } from '../vocabulary.js';

/** The ICD-10 category of a coded diagnosis ("L40" for "l40.0"), or null when it has no ICD-10 code. */
export function icd10Category(d: Diagnosis): string | null {
  if (d.system !== 'icd10' || d.code === undefined) return null;
  const code = normalizeCode(d.code);
  return code.length >= 3 ? code.slice(0, 3) : null;
}

export function agreesWithOutcome(diagnosis: Diagnosis, outcome: Diagnosis): boolean {
  const [a, b] = [icd10Category(diagnosis), icd10Category(outcome)];
  if (a !== null && b !== null) return a === b;
  const text = normalizeDiagnosisText(diagnosis.text);
  return text !== '' && text === normalizeDiagnosisText(outcome.text);
}

export interface Concordance {
  /** Diagnoses that have an outcome to be compared with. */
  withOutcome: number;
  /** Of those, the ones that agree with it. */
  concordant: number;
  /** concordant / withOutcome; null when there is nothing to compare. */
  rate: number | null;
}

export function concordanceOf(pairs: Iterable<{ diagnosis: Diagnosis; outcome: Diagnosis }>): Concordance {
  let withOutcome = 0;
  let concordant = 0;
  for (const { diagnosis, outcome } of pairs) {
    withOutcome += 1;
    if (agreesWithOutcome(diagnosis, outcome)) concordant += 1;
  }
  return { withOutcome, concordant, rate: withOutcome === 0 ? null : concordant / withOutcome };
}
