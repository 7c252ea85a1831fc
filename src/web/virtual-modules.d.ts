// Modules the bundler makes (src/web/assets.ts), declared for the browser code's type check.

declare module 'virtual:i18n' {
  type Languages = typeof import('../i18n/languages.js');
  /** language -> `<area>.<key>` -> ICU message (areas common and web-*) */
  const catalogues: Record<string, Record<string, string>>;
  export default catalogues;
  export const DEFAULT_LANGUAGE: Languages['DEFAULT_LANGUAGE'];
  export const negotiateLanguage: Languages['negotiateLanguage'];
  export const supportedLanguage: Languages['supportedLanguage'];
  export const LANGUAGE_NAMES: Readonly<Record<import('../vocabulary.js').Language, string>>;
  export const LANGUAGES: typeof import('../vocabulary.js').LANGUAGES;
}
