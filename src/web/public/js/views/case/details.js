// The clinical details the referrer gave.
import { h } from '../../dom.js';
import { dateTime, SEX_LABELS } from '../../format.js';

/** @typedef {import('./shared.js').CaseView} CaseView */

/** @param {CaseView} c */
export function detailsSection(c) {
  /** @type {Array<[string, string]>} */
  const rows = [
    ['Patient reference', c.patientRef],
    ['Age', `${c.ageYears} years`],
    ['Sex', SEX_LABELS[c.sex] ?? c.sex],
    ['Skin type (Fitzpatrick)', c.fitzpatrick === null ? 'Not recorded' : String(c.fitzpatrick)],
    ['Where on the body', c.bodySite],
    ['For how long', c.durationDays === null ? 'Not known' : `${c.durationDays} days`],
    ['History', c.history || '—'],
    ['Question', c.question],
    ['Referred by', c.referrer.name],
    ['Sent', dateTime(c.createdAt)],
  ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'details-h' },
    h('h2', { id: 'details-h' }, 'Clinical details'),
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  );
}
