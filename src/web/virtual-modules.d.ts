// Modules the bundler makes (src/web/assets.ts), declared for the browser code's type check.

declare module 'virtual:i18n' {
  type Languages = typeof import('../i18n/languages.js');
  type Formatter = typeof import('../i18n/formatter.js');
  /** `<area>.<key>` -> ICU message (areas common and web-*), in English: in the bundle, as every key's fallback. */
  export const ENGLISH: import('../i18n/formatter.js').Catalogue;
  /** Another language's messages, fetched as a chunk of their own. */
  export function loadMessages(language: string): Promise<import('../i18n/formatter.js').Catalogue>;
  export const messageFormatter: Formatter['messageFormatter'];
  export const DEFAULT_LANGUAGE: Languages['DEFAULT_LANGUAGE'];
  export const negotiateLanguage: Languages['negotiateLanguage'];
  export const supportedLanguage: Languages['supportedLanguage'];
  export const LANGUAGE_NAMES: Readonly<Record<import('../vocabulary.js').Language, string>>;
  export const LANGUAGES: typeof import('../vocabulary.js').LANGUAGES;
}
