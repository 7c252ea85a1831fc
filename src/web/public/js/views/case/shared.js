// What the case page's sections share: the case as the page reads it, the open statuses, a diagnosis as text.

/** @typedef {import('../../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../../types.js').PhotoBody} PhotoBody */
/** @typedef {CaseBody['opinions'][number]} OpinionBody */
/** @typedef {CaseBody['messages'][number]} MessageBody */
/** @typedef {OpinionBody['diagnosis']} Diagnosis */
/** @typedef {NonNullable<CaseBody['answer']>} Answer */
/** @typedef {import('../../../../types.js').Queue} Queue */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('../../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */
/** @typedef {(message?: string) => Promise<void>} Refresh reloads the case and shows `message` above it */

/**
 * An opinion as this page reads it: the API's, and `reviewerId`/`reviewerName`, which the API does not send
 * (the page falls back to them when `reviewer` is missing).
 * @typedef {OpinionBody & { reviewerId?: string, reviewerName?: string }} Opinion
 */
/**
 * A message as this page reads it: the API's, and fallbacks the API does not send (`authorId`, `authorName`, `author.role`).
 * @typedef {Omit<MessageBody, 'author'> & { author: MessageBody['author'] & { role?: string }, authorId?: string, authorName?: string }} Message
 */
/**
 * The case as this page reads it: CaseBody, and fallbacks the API does not send (`referrerId`, and a consensus
 * wrapping `diagnosis` and `agreement`; the API sends the diagnosis itself and `agreement` beside it).
 * @typedef {Omit<CaseBody, 'opinions' | 'messages' | 'consensus'> & {
 *   referrerId?: string,
 *   opinions: Opinion[],
 *   messages: Message[],
 *   consensus: (Diagnosis & { diagnosis?: Diagnosis, agreement?: number | null }) | null,
 * }} CaseView
 */


export const OPEN = new Set(['queued', 'in_review', 'needs_info', 'disputed']);

/** @param {{ text?: string, code?: string, system?: string } | null | undefined} d */
export function diagnosisText(d) {
  if (!d) return '';
  const code = d.code ? ` (${d.system === 'snomed' ? 'SNOMED CT' : 'ICD-10'} ${d.code})` : '';
  return `${d.text}${code}`;
}
