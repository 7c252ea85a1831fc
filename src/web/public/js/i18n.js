// The web app's words in the reader's language: t(key, values) over the catalogues of src/i18n/messages
// (areas common and web-*, from src/web/assets.ts's virtual:i18n), formatted with ICU plural and select forms by
// intl-messageformat; dates and numbers through Intl in the same language. The language is the signed-in
// user's choice (GET /api/v1/me), else this browser's, else English. English is in the bundle; another
// language's messages are fetched once, when a reader of it needs them (a slow link carries only its own).
import { DEFAULT_LANGUAGE, ENGLISH, LANGUAGES, loadMessages, messageFormatter, negotiateLanguage, supportedLanguage } from 'virtual:i18n';

/** Our languages. */
export { LANGUAGES };

/** @typedef {import('../../../vocabulary.js').Language} Language */

const STORED = 'language';
/** @type {Partial<Record<string, Record<string, string>>>} */
const loaded = { [DEFAULT_LANGUAGE]: ENGLISH };
const format = messageFormatter((tag) => loaded[tag]);
/** @type {Language} */
let language = DEFAULT_LANGUAGE;
/** Each switch has a number: a slower fetch finishing after a later switch does not undo it. */
let switches = 0;

/** @returns {Language} */
export function currentLanguage() {
  return language;
}

/**
 * Uses `tag` once its messages are here; when they cannot be fetched (offline), the page stays in the
 * language it has.
 * @param {Language} tag
 */
async function use(tag) {
  const mine = ++switches;
  if (!loaded[tag]) {
    try {
      loaded[tag] = await loadMessages(tag);
    } catch {
      return;
    }
  }
  if (mine !== switches) return;
  language = tag;
  document.documentElement.lang = language;
}

/**
 * Switches the language (the user's choice, remembered on this browser; null: the browser's); the caller
 * redraws the page once this resolves.
 * @param {string | null | undefined} tag
 */
export async function setLanguage(tag) {
  const chosen = supportedLanguage(tag);
  if (chosen) localStorage.setItem(STORED, chosen);
  else localStorage.removeItem(STORED);
  await use(chosen ?? browserLanguage());
}

function browserLanguage() {
  return negotiateLanguage(navigator.languages.join(','));
}

/** The language remembered on this browser, or the browser's own, ready before the first page is drawn. */
export const initialLanguage = use(supportedLanguage(localStorage.getItem(STORED)) ?? browserLanguage());

/**
 * @param {string} key e.g. 'web-case.reply.send'
 * @param {Record<string, string | number | Date>} [values]
 * @returns {string}
 */
export function t(key, values) {
  return format(language, key, values);
}

/**
 * @param {number} value
 * @param {Intl.NumberFormatOptions} [options]
 */
export function formatNumber(value, options) {
  return new Intl.NumberFormat(language, options).format(value);
}

/**
 * @param {Date | number | string} value
 * @param {Intl.DateTimeFormatOptions} [options]
 */
export function formatDate(value, options = { dateStyle: 'medium', timeStyle: 'short' }) {
  return new Intl.DateTimeFormat(language, options).format(new Date(value));
}
