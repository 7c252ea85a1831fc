// The clinical details the referrer gave.
import { bodySiteByCode } from 'virtual:body-sites';
import { bodySiteName } from '../../body-map.js';
import { h } from '../../dom.js';
import { dateTime, SEX_LABELS } from '../../format.js';
import { t } from '../../i18n.js';

/** @typedef {import('./shared.js').CaseView} CaseView */

/** @param {CaseView} c */
export function detailsSection(c) {
  /** @type {Array<[string, string]>} */
  const rows = [
    [t('web-case.newCase.patientRef'), c.patientRef],
    [t('web-case.details.age'), t('web-case.details.years', { years: c.ageYears })],
    [t('web-case.newCase.sex'), SEX_LABELS[c.sex] ?? c.sex],
    [t('web-case.newCase.skinType'), c.fitzpatrick === null ? t('web-case.newCase.fitzpatrick.none') : String(c.fitzpatrick)],
    [t('web-case.newCase.bodySite'), c.bodySite],
    ...(c.bodySiteCode ? [/** @type {[string, string]} */ ([t('web-record.details.region'), mapRegion(c.bodySiteCode)])] : []),
    [t('web-case.details.howLong'), c.durationDays === null ? t('web-case.details.notKnown') : t('web-case.details.days', { days: c.durationDays })],
    [t('web-case.newCase.history'), c.history || '—'],
    [t('web-case.details.question'), c.question],
    [t('web-case.details.referredBy'), c.referrer.name],
    [t('web-case.details.sent'), dateTime(c.createdAt)],
  ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'details-h' },
    h('h2', { id: 'details-h' }, t('web-case.details.heading')),
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  );
}

/**
 * The body map's region of a case, in the reader's language, with its SNOMED CT code; the code alone if the map
 * no longer has it.
 * @param {string} code
 */
function mapRegion(code) {
  const site = bodySiteByCode(code);
  return site ? t('web-record.details.regionValue', { site: bodySiteName(site.region), code }) : t('web-record.details.codeOnly', { code });
}
