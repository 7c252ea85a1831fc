// The message catalogues (src/i18n/messages/<area>/<language>.json) and ICU formatting with intl-messageformat
// (plural, select, numbers and dates through Intl). English is complete by definition; a key missing from
// another language falls back to English (the catalogue test refuses that in CI, so it only ever happens
// between a new English string and its translations).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES, type Language } from '../vocabulary.js';
import { DEFAULT_LANGUAGE } from './languages.js';

export const MESSAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');

export type Catalogue = Record<string, string>;
export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

/** Every area's messages for one language, keyed `<area>.<key>`. */
export function loadCatalogue(language: Language, dir = MESSAGES_DIR): Catalogue {
  const catalogue: Catalogue = {};
  for (const area of fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = path.join(dir, area, `${language}.json`);
    if (!fs.existsSync(file)) continue;
    for (const [key, text] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Catalogue)) catalogue[`${area}.${key}`] = text;
  }
  return catalogue;
}

const catalogues = new Map<Language, Catalogue>(LANGUAGES.map((l) => [l, loadCatalogue(l)]));
const formats = new Map<string, IntlMessageFormat>();

export type Translate = (key: string, values?: MessageValues) => string;

/** Whether English has the message (so that callers can fall back to their own words). */
export function hasMessage(key: string): boolean {
  return key in catalogues.get(DEFAULT_LANGUAGE)!;
}

/** t(key, values) in one language. An unknown key is a programming error and throws. */
export function translator(language: Language): Translate {
  return (key, values) => {
    const own = catalogues.get(language)![key];
    const text = own ?? catalogues.get(DEFAULT_LANGUAGE)![key];
    if (text === undefined) throw new Error(`No message "${key}"`);
    const lang = own === undefined ? DEFAULT_LANGUAGE : language;
    const id = `${lang}\u0000${key}`;
    let format = formats.get(id);
    if (!format) formats.set(id, (format = new IntlMessageFormat(text, lang)));
    return String(format.format(values));
  };
}
