// Small pieces shared by the views: status badges, page headings, flash messages, busy buttons.
import { h, mount, notice } from './dom.js';
import { dateTime, statusLabel, URGENCY_LABELS } from './format.js';
import { currentLanguage, setLanguage, t } from './i18n.js';

/** @typedef {import('../../types.js').Child} Child */

/** @param {string} status */
export function statusBadge(status) {
  return h('span', { class: ['badge', `badge-${status}`], 'data-status': status }, statusLabel(status));
}

/** @param {string} urgency */
export function urgencyBadge(urgency) {
  return h('span', { class: ['badge', `urgency-${urgency}`] }, URGENCY_LABELS[urgency] ?? urgency);
}

/**
 * When a case's answer is due, for a case still waiting for one: "Due 12 Mar, 14:00", or marked "Overdue"
 * with the time it was due. The server says whether it is overdue (its clock, not this computer's).
 * @param {{ status: string, dueAt: string, overdue: boolean }} c
 */
export function dueNote(c) {
  if (c.status === 'answered' || c.status === 'closed') return null;
  return h(
    'span',
    { class: ['due', c.overdue ? 'due-overdue' : null], dataset: { dueAt: c.dueAt } },
    c.overdue
      ? [h('span', { class: 'badge badge-overdue' }, t('web-common.due.overdue')), ` ${t('web-common.due.wasDue', { time: dateTime(c.dueAt) })}`]
      : t('web-common.due.due', { time: dateTime(c.dueAt) }),
  );
}

/**
 * Sets the page's h1 and document title together, and moves focus there for screen-reader users.
 * @param {string} text
 * @param {...Child} extra
 */
export function pageHeading(text, ...extra) {
  document.title = t('web-common.documentTitle', { page: text });
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1', class: 'page-title' }, text), extra);
}

/**
 * A message shown at the top of the next page (e.g. "Case sent")
 * @type {{ kind: 'ok' | 'error', text: string } | null}
 */
let pendingFlash = null;
/**
 * @param {'ok' | 'error'} kind
 * @param {string} text
 */
export function flashNext(kind, text) {
  pendingFlash = { kind, text };
}
export function showFlash() {
  const el = document.getElementById('flash');
  if (!el) return;
  if (pendingFlash) {
    mount(el, notice(pendingFlash.kind, pendingFlash.text));
    pendingFlash = null;
  } else {
    el.replaceChildren();
  }
}

/**
 * Runs `fn` while the button shows it is busy (and says so with `label`, e.g. "Sending…"), so a double tap
 * cannot send twice.
 * @template T
 * @param {HTMLButtonElement} button
 * @param {() => Promise<T>} fn
 * @param {string} [label] the button's text while busy
 * @returns {Promise<T>}
 */
export async function busy(button, fn, label) {
  const idle = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = idle;
  }
}

/** @param {string} [text] */
export function loading(text = t('web-common.loading')) {
  return h('p', { class: 'muted', role: 'status' }, text);
}

/**
 * @param {string} text
 * @param {...Child} actions
 */
export function emptyState(text, ...actions) {
  return h('div', { class: 'empty' }, h('p', {}, text), actions);
}

/** Told on window when the app's language changes: the page is drawn again in it. */
export const LANGUAGE_CHANGED = 'app-language-changed';

/**
 * Uses the user's chosen language (null: this browser's) and, when that changes it, has the page drawn again.
 * @param {string | null | undefined} tag
 */
export async function applyLanguage(tag) {
  const before = currentLanguage();
  await setLanguage(tag);
  if (currentLanguage() !== before) window.dispatchEvent(new Event(LANGUAGE_CHANGED));
}
