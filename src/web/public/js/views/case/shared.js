// What the case page's sections share: the case as the page reads it, the open statuses, a diagnosis as text.

/** @typedef {import('../../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../../types.js').PhotoBody} PhotoBody */
/** @typedef {CaseBody} CaseView the case as GET /api/v1/cases/:id sends it (CaseSchema) */
/** @typedef {CaseBody['opinions'][number]} Opinion */
/** @typedef {CaseBody['messages'][number]} Message */
/** @typedef {Opinion['diagnosis']} Diagnosis */
/** @typedef {NonNullable<CaseBody['answer']>} Answer */
/** @typedef {import('../../../../types.js').Queue} Queue */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('../../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */
/** @typedef {(message?: string) => Promise<void>} Refresh reloads the case and shows `message` above it */

export const OPEN = new Set(['queued', 'in_review', 'needs_info', 'disputed']);

/** @param {{ text?: string, code?: string, system?: string } | null | undefined} d */
export function diagnosisText(d) {
  if (!d) return '';
  const code = d.code ? ` (${d.system === 'snomed' ? 'SNOMED CT' : 'ICD-10'} ${d.code})` : '';
  return `${d.text}${code}`;
}
