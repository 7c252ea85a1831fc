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

declare module 'virtual:photo-quality' {
  type Quality = typeof import('../photos/quality.js');
  export type PhotoQuality = import('../photos/quality.js').PhotoQuality;
  export type QualityWarning = import('../photos/quality.js').QualityWarning;
  export const QUALITY_SIDE: Quality['QUALITY_SIDE'];
  export const QUALITY_WARNINGS: Quality['QUALITY_WARNINGS'];
  export const measureQuality: Quality['measureQuality'];
  export const measuredSize: Quality['measuredSize'];
  export const MIN_PIXELS: Quality['MIN_PIXELS'];
  export const warningsOf: Quality['warningsOf'];
}

declare module 'virtual:body-sites' {
  type BodySites = typeof import('../cases/body-sites.js');
  export type BodySite = import('../cases/body-sites.js').BodySite;
  export type BodyMapSide = import('../cases/body-sites.js').BodyMapSide;
  export const BODY_SITE_SYSTEM: BodySites['BODY_SITE_SYSTEM'];
  export const BODY_MAP_SIDES: BodySites['BODY_MAP_SIDES'];
  export const BODY_SITES: BodySites['BODY_SITES'];
  export const bodySiteByCode: BodySites['bodySiteByCode'];
}
