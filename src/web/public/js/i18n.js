// The web app's words in the reader's language: t(key, values) over the catalogues of src/i18n/messages
// (areas common and web-*, bundled by src/web/assets.ts as virtual:i18n), formatted with ICU plural and select forms by
// intl-messageformat; dates and numbers through Intl in the same language. The language is the signed-in
// user's choice (GET /api/v1/me), else this browser's, else English.
import { IntlMessageFormat } from 'intl-messageformat';
import catalogues, { DEFAULT_LANGUAGE, LANGUAGES, negotiateLanguage, supportedLanguage } from 'virtual:i18n';

/** Our languages. */
export { LANGUAGES };

/** @typedef {import('../../../vocabulary.js').Language} Language */

const STORED = 'language';
/** @type {Map<string, IntlMessageFormat>} */
const formats = new Map();
/** @type {Language} */
let language = supportedLanguage(localStorage.getItem(STORED)) ?? negotiateLanguage(navigator.languages.join(','));

/** @returns {Language} */
export function currentLanguage() {
  return language;
}

/**
 * Switches the language (the user's choice, remembered on this browser); the caller redraws the page.
 * @param {string | null | undefined} tag
 */
export function setLanguage(tag) {
  const chosen = supportedLanguage(tag);
  if (chosen) localStorage.setItem(STORED, chosen);
  else localStorage.removeItem(STORED);
  language = chosen ?? negotiateLanguage(navigator.languages.join(','));
  document.documentElement.lang = language;
}
document.documentElement.lang = language;

/**
 * @param {string} key e.g. 'web-case.reply.send'
 * @param {Record<string, string | number | Date>} [values]
 * @returns {string}
 */
export function t(key, values) {
  const own = catalogues[language]?.[key];
  const text = own ?? catalogues[DEFAULT_LANGUAGE]?.[key];
  if (text === undefined) throw new Error(`No message "${key}"`);
  const lang = own === undefined ? DEFAULT_LANGUAGE : language;
  const id = `${lang}\u0000${key}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = new IntlMessageFormat(text, lang)));
  return String(format.format(values));
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
