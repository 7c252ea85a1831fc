// How statuses, dates and durations are shown to people, in the current language.
import { currentLanguage, t } from './i18n.js';

/**
 * Names of a vocabulary read from the catalogue (web-common.<group>.<value>) each time they are read, so a
 * table looked up or listed after a change of language gives the new words.
 * @param {string} group
 * @param {readonly string[]} values
 * @returns {Readonly<Record<string, string>>}
 */
function namesOf(group, values) {
  const names = {};
  for (const value of values) Object.defineProperty(names, value, { enumerable: true, get: () => t(`web-common.${group}.${value}`) });
  return Object.freeze(names);
}

export const STATUS_LABELS = namesOf('status', ['queued', 'in_review', 'needs_info', 'answered', 'disputed', 'closed']);
export const URGENCY_LABELS = namesOf('urgency', ['routine', 'soon', 'urgent']);
export const SEX_LABELS = namesOf('sex', ['female', 'male', 'other', 'unknown']);
export const KIND_LABELS = namesOf('photoKind', ['overview', 'closeup', 'dermoscopy', 'followup']);
export const CONFIDENCE_LABELS = namesOf('confidence', ['low', 'medium', 'high']);
export const DISPOSITION_LABELS = namesOf('disposition', ['reassure', 'treat-locally', 'biopsy', 'refer-in-person', 'urgent-referral']);

/** @param {string} status */
export function statusLabel(status) {
  return STATUS_LABELS[status] ?? String(status ?? '');
}

/** @param {string | number | Date | null | undefined} value */
export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(currentLanguage(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** @param {number | string | null | undefined} value */
export function minutes(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  const m = Math.round(Number(value));
  if (m < 60) return t('web-common.duration.minutes', { n: decimal(m, 0) });
  const hours = m / 60;
  if (hours < 48) return t('web-common.duration.hours', { n: decimal(hours, hours < 10 ? 1 : 0) });
  return t('web-common.duration.days', { n: decimal(hours / 24, 1) });
}

/** @param {number} n */
export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return t('web-common.size.bytes', { n: decimal(n, 0) });
  if (n < 1024 * 1024) return t('web-common.size.kilobytes', { n: decimal(n / 1024, 0) });
  return t('web-common.size.megabytes', { n: decimal(n / (1024 * 1024), 1) });
}

/** @param {number | null | undefined} value */
export function percent(value) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(currentLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(Number(value));
}

/**
 * Day and month: with the kind of photo and its place in its upload, enough to tell a case's photos apart.
 * @param {string | number | Date} value
 */
export function dayMonth(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value ?? '');
  return d.toLocaleDateString(currentLanguage(), { month: 'short', day: 'numeric' });
}

/**
 * A number with exactly `digits` decimals (no grouping, as before: "1234 KB"), in the language's decimal mark.
 * @param {number} value
 * @param {number} digits
 */
function decimal(value, digits) {
  return new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}
