// The referrer's answer: the majority's diagnosis and advice, how many agreed, and each dissent apart.
import { h } from '../../dom.js';
import { DISPOSITION_LABELS } from '../../format.js';
import { diagnosisText } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */

/**
 * For the referrer, the answer goes at the top: on a phone it would otherwise be far below the photos.
 * @param {CaseView} c
 * @param {SessionUser} user
 */
export function answerSummary(c, user) {
  if (user.role !== 'clinician' || !c.answer) return null;
  const { answer } = c;
  const specialists = (/** @type {number} */ n) => (n === 1 ? '1 specialist' : `${n} specialists`);
  return h(
    'div',
    { class: 'consensus answer-summary', id: 'answer-summary', role: 'note' },
    h('p', { class: 'consensus-label' }, 'Answer'),
    h('p', { class: 'consensus-diagnosis' }, diagnosisText(answer.diagnosis)),
    h('p', { class: 'answer-agreement' }, answer.agreeing === answer.total ? `All ${answer.total} specialists agreed` : `${answer.agreeing} of ${answer.total} specialists agreed`),
    h('p', { class: 'answer-advice' }, h('strong', {}, 'Advice: '), DISPOSITION_LABELS[answer.disposition] ?? answer.disposition),
    answer.management ? h('p', { class: 'answer-management' }, answer.management) : null,
    // The outvoted opinions, apart and plainly: never part of the advice above.
    answer.dissent.length
      ? h(
          'div',
          { class: 'answer-dissent' },
          h('p', { class: 'consensus-label' }, `${specialists(answer.dissent.length)} disagreed`),
          h(
            'ul',
            {},
            answer.dissent.map((d) => h('li', {}, `${diagnosisText(d.diagnosis)}, advising ${(DISPOSITION_LABELS[d.disposition] ?? d.disposition).toLowerCase()}`)),
          ),
        )
      : null,
    h('p', {}, h('a', { href: '#opinions' }, `Read the ${answer.total} opinions`)),
  );
}
