// t(key, values) over catalogues: ICU messages formatted by intl-messageformat (plural, select, numbers and
// dates through Intl), each parsed once. English is complete by definition; a key missing from another
// language falls back to English (the catalogue test refuses that in CI, so it only happens between a new
// English string and its translations). Shared by the server and the web app (no Node APIs here; the
// bundler inlines this file's text into virtual:i18n).
import { IntlMessageFormat } from 'intl-messageformat';
import { DEFAULT_LANGUAGE } from './languages.js';

/** `<area>.<key>` -> ICU message. */
export type Catalogue = Record<string, string>;
export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

/**
 * Formats messages from the catalogues `catalogueOf` gives (undefined: not loaded, so English is used).
 * An unknown key is a programming error and throws.
 */
export function messageFormatter(catalogueOf: (language: string) => Catalogue | undefined) {
  const formats = new Map<string, IntlMessageFormat>();
  return (language: string, key: string, values?: MessageValues): string => {
    const own = catalogueOf(language)?.[key];
    const text = own ?? catalogueOf(DEFAULT_LANGUAGE)?.[key];
    if (text === undefined) throw new Error(`No message "${key}"`);
    const lang = own === undefined ? DEFAULT_LANGUAGE : language;
    const id = `${lang}\u0000${key}`;
    let format = formats.get(id);
    if (!format) formats.set(id, (format = new IntlMessageFormat(text, lang)));
    return String(format.format(values));
  };
}
