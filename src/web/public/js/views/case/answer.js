// The referrer's answer: the majority's diagnosis and advice, how many agreed, each dissent apart in plain
// words (its diagnosis and what it advised), and the printable report for the clinic's record.
import { download, errorMessage } from '../../api.js';
import { h, mount, notice } from '../../dom.js';
import { DISPOSITION_LABELS } from '../../format.js';
import { diagnosisText } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Answer} Answer */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */

/**
 * What an opinion advised, as the end of "…, advising …".
 * @type {Readonly<Record<Answer['disposition'], string>>}
 */
const ADVISING = {
  reassure: 'reassurance',
  'treat-locally': 'local treatment',
  biopsy: 'a biopsy',
  'refer-in-person': 'referral in person',
  'urgent-referral': 'urgent referral',
};

/** @param {number} n */
const specialists = (n) => (n === 1 ? '1 specialist' : `${n} specialists`);

/**
 * For the referrer, the answer goes at the top: on a phone it would otherwise be far below the photos.
 * @param {CaseView} c
 * @param {SessionUser} user
 */
export function answerSummary(c, user) {
  if (user.role !== 'clinician' || !c.answer) return null;
  const { answer } = c;
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
          h('p', { class: 'answer-dissent-label' }, `${specialists(answer.dissent.length)} disagreed:`),
          h(
            'ul',
            {},
            answer.dissent.map((d) => h('li', {}, `${diagnosisText(d.diagnosis)}, advising ${ADVISING[d.disposition] ?? d.disposition}`)),
          ),
        )
      : null,
    h('div', { class: 'actions' }, h('a', { href: '#opinions' }, `Read the ${answer.total} opinions`), reportLink(c)),
  );
}

/**
 * "Print report (PDF)": the consult report for the clinic's record, fetched with the bearer token (a plain
 * link cannot carry it) and saved.
 * @param {CaseView} c
 */
function reportLink(c) {
  const path = `/api/v1/cases/${encodeURIComponent(c.id)}/report.pdf`;
  const status = h('span', { class: 'report-status', 'aria-live': 'polite' });
  const link = h('a', { href: path, class: 'button secondary', id: 'report-link', download: `consult-report-${c.id}.pdf` }, 'Print report (PDF)');
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    if (link.getAttribute('aria-busy') === 'true') return;
    link.setAttribute('aria-busy', 'true');
    mount(status, 'Preparing the report…');
    try {
      const { name } = await download(path, `consult-report-${c.id}.pdf`);
      mount(status, `${name} downloaded: open it to print.`);
    } catch (error) {
      mount(status, notice('error', errorMessage(error)));
    } finally {
      link.removeAttribute('aria-busy');
    }
  });
  return [link, status];
}
