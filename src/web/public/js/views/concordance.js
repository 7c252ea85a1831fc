// Diagnoses measured against the outcomes referrers confirmed later (src/cases/concordance.ts defines when
// they agree): a reviewer's own figures on their queues page, every reviewer's and each queue's on the
// admin's statistics page.
import { api } from '../api.js';
import { h } from '../dom.js';
import { percent } from '../format.js';
import { formatNumber, t } from '../i18n.js';
import { table } from './admin.js';

/** @typedef {import('../../../types.js').Concordance} Concordance */
/** @typedef {import('../../../types.js').ReviewerConcordance} ReviewerConcordance */
/** @typedef {import('../../../types.js').QueueStats} QueueStats */

/**
 * The signed-in reviewer's own figures (GET /api/v1/me/concordance), or nothing when they cannot be had.
 * @returns {Promise<HTMLElement | null>}
 */
export async function ownConcordance() {
  /** @type {Concordance} */
  let mine;
  try {
    mine = /** @type {Concordance} */ (await api.get('/api/v1/me/concordance'));
  } catch {
    return null;
  }
  return h(
    'section',
    { class: 'card concordance', id: 'concordance', 'aria-labelledby': 'concordance-h' },
    h('h2', { id: 'concordance-h' }, t('web-outcomes.concordance.heading')),
    h(
      'p',
      { class: 'concordance-summary' },
      mine.withOutcome > 0 ? t('web-outcomes.concordance.summary', { withOutcome: mine.withOutcome, concordant: mine.concordant, rate: percent(mine.rate) }) : t('web-outcomes.concordance.none'),
      ' ',
      t('web-outcomes.concordance.opinions', { opinions: mine.opinions }),
    ),
    h('p', { class: 'muted small' }, t('web-outcomes.concordance.rule')),
  );
}

/**
 * A queue's concordance for the statistics table: the rate, and over how many cases it is.
 * @param {QueueStats} q
 */
export function queueConcordanceCell(q) {
  return h('td', { class: 'num' }, q.concordanceRate === null ? '—' : t('web-outcomes.stats.concordanceCell', { rate: percent(q.concordanceRate), count: q.withOutcome }));
}

/** The statistics table's heading for that column. */
export function queueConcordanceHeading() {
  return h('th', { scope: 'col', rowspan: '2', class: 'num', title: t('web-outcomes.stats.concordanceTitle') }, t('web-outcomes.stats.concordance'));
}

/**
 * Every reviewer's figures (GET /api/v1/stats/reviewers), as a table, for admins.
 * @returns {Promise<HTMLElement>}
 */
export async function reviewersConcordance() {
  const { items } = /** @type {{ items: ReviewerConcordance[] }} */ (await api.get('/api/v1/stats/reviewers'));
  const num = (/** @type {string} */ text) => h('td', { class: 'num' }, text);
  const rows = items.map((r) =>
    h(
      'tr',
      { dataset: { reviewer: r.reviewer.id } },
      h('th', { scope: 'row' }, r.reviewer.name),
      num(formatNumber(r.opinions)),
      num(formatNumber(r.withOutcome)),
      num(formatNumber(r.concordant)),
      num(percent(r.rate)),
    ),
  );
  const headings = ['reviewer', 'opinions', 'withOutcome', 'concordant', 'rate'].map((key) => t(`web-outcomes.stats.reviewers.${key}`));
  const figures = table(t('web-outcomes.stats.reviewers.caption'), headings, rows, { id: 'reviewers-concordance-table' });
  // Numbers right-aligned under right-aligned headings, as in the table above.
  figures.querySelectorAll('thead th').forEach((th, i) => th.classList.toggle('num', i > 0));
  return h(
    'section',
    { class: 'reviewers-concordance', id: 'reviewers-concordance', 'aria-labelledby': 'reviewers-concordance-h' },
    h('h2', { id: 'reviewers-concordance-h' }, t('web-outcomes.stats.reviewers.heading')),
    items.some((r) => r.opinions > 0) ? figures : h('p', { class: 'muted' }, t('web-outcomes.stats.reviewers.none')),
  );
}
