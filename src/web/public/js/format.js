// How statuses, dates and durations are shown to people.

/** @type {Readonly<Record<string, string>>} */
export const STATUS_LABELS = {
  queued: 'Waiting for a specialist',
  in_review: 'In review',
  needs_info: 'More information needed',
  answered: 'Answered',
  disputed: 'Second look needed',
  closed: 'Closed',
};

/** @type {Readonly<Record<string, string>>} */
export const URGENCY_LABELS = { routine: 'Routine', soon: 'Soon', urgent: 'Urgent' };
/** @type {Readonly<Record<string, string>>} */
export const SEX_LABELS = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };
/** @type {Readonly<Record<string, string>>} */
export const KIND_LABELS = { overview: 'Overview', closeup: 'Close-up', dermoscopy: 'Dermoscopy', followup: 'Follow-up' };
/** @type {Readonly<Record<string, string>>} */
export const CONFIDENCE_LABELS = { low: 'Low', medium: 'Medium', high: 'High' };
/** @type {Readonly<Record<string, string>>} */
export const DISPOSITION_LABELS = {
  reassure: 'Reassure',
  'treat-locally': 'Treat locally',
  biopsy: 'Biopsy',
  'refer-in-person': 'Refer in person',
  'urgent-referral': 'Urgent referral',
};

/** @param {string} status */
export function statusLabel(status) {
  return STATUS_LABELS[status] ?? String(status ?? '');
}

/** @param {string | number | Date | null | undefined} value */
export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** @param {number | string | null | undefined} value */
export function minutes(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  const m = Math.round(Number(value));
  if (m < 60) return `${m} min`;
  const hours = m / 60;
  if (hours < 48) return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** @param {number} n */
export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** @param {number | null | undefined} value */
export function percent(value) {
  if (value === null || value === undefined) return '—';
  return `${Math.round(Number(value) * 100)}%`;
}

/**
 * Day and month: with the kind of photo and its place in its upload, enough to tell a case's photos apart.
 * @param {string | number | Date} value
 */
export function dayMonth(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value ?? '');
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
