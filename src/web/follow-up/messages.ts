// The follow-up page's words outside its HTML, from the catalogue (area `follow-up`) in the page's language:
// every API error a patient or parent can meet, said simply (for the no-JavaScript result page and the script),
// and what the script says as it works. The script has no ICU, so it gets each message ready to show, with
// `{n}` (and `{clinic}`, `{message}`, `{sent}`, `{more}`, `{advice}`) left for it to fill; the plural messages come as the forms that
// the language has for the counts the page can meet, with the form each count takes. That is why the
// catalogue's plural messages of the script write their number `{n}`, never `#`.
import { hasMessage, translator, type Translate } from '../../i18n/messages.js';
import { QUALITY_WARNINGS, type QualityWarning } from '../../photos/quality.js';
import type { Language } from '../../vocabulary.js';

/** The error codes worded for the page, plus NETWORK and GENERIC, which only the script meets. */
const ERROR_CODES = [
  'NOT_FOUND',
  // A link that no longer works, of a clinic that has a phone number or address to give: {clinic}, {contact}.
  'NOT_FOUND_WITH_CONTACT',
  'UNSUPPORTED_MEDIA_TYPE',
  'FILE_TOO_LARGE',
  'IMAGE_TOO_LARGE',
  'IMAGE_CORRUPT',
  'IMAGE_TOO_COMPLEX',
  'UNSUPPORTED_IMAGE',
  'MALFORMED_MULTIPART',
  'TOO_MANY_PHOTOS',
  'TOO_MANY_FILES',
  'TOO_MANY_PARTS',
  'VALIDATION_ERROR',
  'TOO_MANY_REQUESTS',
  'STORAGE_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'NETWORK',
  'GENERIC',
] as const;

/** The clinic and its contact stay placeholders: the page fills them in as HTML, the script as text. */
const CONTACT_SLOTS = { clinic: '{clinic}', contact: '{contact}' };

/** Error code -> plain words, in one language. */
export function plainMessages(t: Translate): Record<string, string> {
  return Object.fromEntries(ERROR_CODES.map((code) => [code, t(`follow-up.error.${code}`, CONTACT_SLOTS)]));
}

export function plainMessage(t: Translate, code: string, statusCode: number): string {
  const known = hasMessage(`follow-up.error.${code}`) ? code : statusCode >= 500 ? 'INTERNAL_ERROR' : 'GENERIC';
  return t(`follow-up.error.${known}`, CONTACT_SLOTS);
}

/** The English words of the one error every unusable link gets as JSON (its `code` is what clients go by). */
export const LINK_NOT_USABLE_MESSAGE = translator('en')('follow-up.error.NOT_FOUND');

/**
 * What the script says: plain texts, plural messages by form, which form each count 0..upTo takes, and what to
 * fix for each quality warning of a photo (SPEC "Photo quality at capture").
 */
export interface ScriptWords {
  text: Record<string, string>;
  plurals: Record<string, Partial<Record<Intl.LDMLPluralRule, string>>>;
  forms: Intl.LDMLPluralRule[];
  advice: Record<QualityWarning, string>;
}

const SCRIPT_TEXTS = {
  gallery: 'picker.gallery',
  send: 'send',
  photo: 'script.photo',
  remove: 'script.remove',
  removePhoto: 'script.remove-photo',
  sending: 'script.sending',
  sendingPercent: 'script.sending-percent',
  checking: 'script.checking',
  thanks: 'script.thanks',
  sentMore: 'result.sent-more',
  retake: 'script.quality.retake',
  keep: 'script.quality.keep',
  announce: 'script.quality.announce',
} as const;

/**
 * The script's words in `language` for a page whose link takes `upTo` more photos (no count it shows can be
 * higher). Its keys are the script's (src/web/follow-up/follow-up.js).
 */
export function scriptWords(language: Language, upTo: number): ScriptWords {
  const t = translator(language);
  const rules = new Intl.PluralRules(language);
  const forms = Array.from({ length: upTo + 1 }, (_, n) => rules.select(n));
  // One count of each form is enough to have ICU pick that form's words.
  const samples = new Map<Intl.LDMLPluralRule, number>();
  forms.forEach((form, n) => samples.has(form) || samples.set(form, n));
  const slots = { n: '{n}', clinic: '{clinic}', message: '{message}', sent: '{sent}', more: '{more}', advice: '{advice}' };
  const plural = (key: string, values: Record<string, string> = {}) =>
    Object.fromEntries([...samples].map(([form, count]) => [form, t(`follow-up.${key}`, { ...slots, ...values, count })]));
  return {
    text: Object.fromEntries(Object.entries(SCRIPT_TEXTS).map(([name, key]) => [name, t(`follow-up.${key}`, slots)])),
    plurals: {
      send: plural('send.count'),
      hint: plural('hint.remaining'),
      sent: plural('result.sent', { note: 'no' }),
      sentWithNote: plural('result.sent', { note: 'yes' }),
      more: plural('result.more'),
      tooMany: plural('script.too-many'),
    },
    forms,
    advice: Object.fromEntries(QUALITY_WARNINGS.map((warning) => [warning, t(`follow-up.script.quality.${warning}`)])) as Record<QualityWarning, string>,
  };
}
