// A case in a list (the case lists, the queue page): the patient reference and body site, its status and
// urgency, and when its answer is due.
import { h } from './dom.js';
import { dateTime, SEX_LABELS } from './format.js';
import { t } from './i18n.js';
import { dueNote, statusBadge, urgencyBadge } from './ui.js';

/** @typedef {import('../../types.js').CaseSummaryBody} CaseSummaryBody */

/** @param {CaseSummaryBody} c */
export function caseRow(c) {
  const due = dueNote(c);
  return h(
    'li',
    { class: ['case-row', c.overdue ? 'case-row-overdue' : null], dataset: { caseId: c.id, status: c.status } },
    h(
      'a',
      { href: `#/cases/${encodeURIComponent(c.id)}`, class: 'case-link' },
      h('span', { class: 'case-title' }, `${c.patientRef ?? t('web-case.row.case')} · ${c.bodySite ?? ''}`),
      h(
        'span',
        { class: 'case-sub' },
        [c.ageYears !== undefined ? t('web-case.row.age', { years: c.ageYears }) : null, SEX_LABELS[c.sex], c.queue, c.photoCount !== undefined ? t('common.photos', { count: c.photoCount }) : null].filter(Boolean).join(' · '),
      ),
      h('span', { class: 'case-badges' }, statusBadge(c.status), c.urgency && c.urgency !== 'routine' ? urgencyBadge(c.urgency) : null),
      h('span', { class: 'case-time' }, t('web-case.row.updated', { time: dateTime(c.updatedAt ?? c.createdAt) }), due ? [' · ', due] : null),
    ),
  );
}

/**
 * The order a reviewer works in: overdue cases first, then the rest, each by when they are due.
 * @param {CaseSummaryBody} a
 * @param {CaseSummaryBody} b
 */
export function byDeadline(a, b) {
  return Number(b.overdue) - Number(a.overdue) || Date.parse(a.dueAt) - Date.parse(b.dueAt);
}
