// The referrer's answer: the majority's diagnosis and advice, how many agreed, each dissent apart in plain
// words (its diagnosis and what it advised), and the printable report for the clinic's record.
import { download, errorMessage } from '../../api.js';
import { h, mount, notice } from '../../dom.js';
import { DISPOSITION_LABELS } from '../../format.js';
import { diagnosisText } from './shared.js';
import { t } from '../../i18n.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Answer} Answer */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */


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
    h('p', { class: 'consensus-label' }, t('web-case.answer.label')),
    h('p', { class: 'consensus-diagnosis' }, diagnosisText(answer.diagnosis)),
    h('p', { class: 'answer-agreement' }, t('web-case.answer.agreed', { agreeing: answer.agreeing, total: answer.total, all: answer.agreeing === answer.total ? 'yes' : 'no' })),
    h('p', { class: 'answer-advice' }, h('strong', {}, t('web-case.answer.advice')), DISPOSITION_LABELS[answer.disposition] ?? answer.disposition),
    answer.management ? h('p', { class: 'answer-management' }, answer.management) : null,
    // The outvoted opinions, apart and plainly: never part of the advice above.
    answer.dissent.length
      ? h(
          'div',
          { class: 'answer-dissent' },
          h('p', { class: 'answer-dissent-label' }, t('web-case.answer.disagreed', { count: answer.dissent.length })),
          h(
            'ul',
            {},
            // ICU select keys cannot hold '-': the catalogue names the dispositions with '_'.
            answer.dissent.map((d) => h('li', {}, t('web-case.answer.dissent', { diagnosis: diagnosisText(d.diagnosis), disposition: d.disposition.replaceAll('-', '_') }))),
          ),
        )
      : null,
    h('div', { class: 'actions' }, h('a', { href: '#opinions' }, t('web-case.answer.readOpinions', { count: answer.total })), reportLink(c)),
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
  const link = h('a', { href: path, class: 'button secondary', id: 'report-link', download: `consult-report-${c.id}.pdf` }, t('web-case.answer.report'));
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    if (link.getAttribute('aria-busy') === 'true') return;
    link.setAttribute('aria-busy', 'true');
    mount(status, t('web-case.answer.preparing'));
    try {
      const { name } = await download(path, `consult-report-${c.id}.pdf`);
      mount(status, t('web-case.answer.downloaded', { name }));
    } catch (error) {
      mount(status, notice('error', errorMessage(error)));
    } finally {
      link.removeAttribute('aria-busy');
    }
  });
  return [link, status];
}
