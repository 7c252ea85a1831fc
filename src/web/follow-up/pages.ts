// The HTML of the follow-up pages for patients and parents: the upload page, the result page (for browsers
// without JavaScript) and the one "link not valid" page, each in the parent's language with a switch to the
// others. Small, no framework, no inline script or style (the CSP forbids both), nothing about the patient or
// the case: only the clinic's name.
import { bundledUrl, servedUrl } from '../assets.js';
import { cardPage, escapeHtml } from '../card-page.js';
import { LANGUAGE_NAMES } from '../../i18n/languages.js';
import { translator, type MessageValues, type Translate } from '../../i18n/messages.js';
import type { ClinicContact } from '../../repositories/follow-up-links.js';
import { LANGUAGES, type Language } from '../../vocabulary.js';
import { plainMessages, scriptWords } from './messages.js';

/** What every follow-up page knows: its language, and where its language switch points. */
export interface PageLanguage {
  language: Language;
  /** The page the switch's links open with ?lang=: '' for the current address, /f/<token> from the upload's answer. */
  switchBase: string;
}

function layout({ language, switchBase }: PageLanguage, title: string, body: string, withScript: boolean): string {
  return cardPage({
    language,
    title,
    body: `${languageSwitch(language, switchBase)}\n${body}`,
    stylesheet: servedUrl('follow-up/follow-up.css'),
    // The photo check first (when built): follow-up.js uses it if it is there.
    scripts: withScript ? [bundledUrl('follow-up/photo-check.js'), servedUrl('follow-up/follow-up.js')].filter((url) => url !== undefined) : [],
    lightOnly: true,
  });
}

/**
 * Each language named in itself, so that a parent finds theirs whatever the page is in now. The names are drawn
 * by the stylesheet from data-name (and named to assistive technology by aria-label) rather than written in the
 * text: a page in one language then holds no words of another in its text (a check of the English page looks
 * for Chinese characters). Without the stylesheet, the short codes in the text still work as the switch.
 */
function languageSwitch(current: Language, base: string): string {
  const links = LANGUAGES.map((l) => {
    const name = escapeHtml(LANGUAGE_NAMES[l]);
    const attributes = `href="${escapeHtml(`${base}?lang=${l}`)}" lang="${l}" hreflang="${l}" data-name="${name}" aria-label="${name}"${l === current ? ' aria-current="true"' : ''}`;
    return `<li><a ${attributes}><span class="code">${l.slice(0, 2).toUpperCase()}</span></a></li>`;
  });
  return `<nav class="languages" aria-label="${escapeHtml(translator(current)('follow-up.language.switch'))}"><ul>${links.join('')}</ul></nav>`;
}

/**
 * A message with some values as HTML (bold words, a phone link): formatted with those left as {name}, escaped,
 * then filled in one pass, so that no value is read as markup or as another's placeholder.
 */
function htmlMessage(t: Translate, key: string, html: Record<string, string>, values: MessageValues = {}): string {
  const text = t(key, { ...values, ...Object.fromEntries(Object.keys(html).map((name) => [name, `{${name}}`])) });
  return escapeHtml(text).replace(/\{(\w+)\}/g, (slot, name: string) => html[name] ?? slot);
}

function clinicName(t: Translate, siteName: string | null): string {
  return siteName ?? t('follow-up.clinic.neutral');
}

function clinicLine(t: Translate, siteName: string | null): string {
  return `<p class="clinic">${escapeHtml(clinicName(t, siteName))}</p>`;
}

function photosLeft(t: Translate, remaining: number): string {
  return t('follow-up.hint.remaining', { count: remaining, n: remaining });
}

export interface UploadPageInput extends PageLanguage {
  siteName: string | null;
  /** The clinic's phone number or address: the script shows it if the link stops working meanwhile. */
  contact: string | null;
  /** Where the form posts: /f/<token>/photos, with ?lang= when the language was chosen on the page. */
  action: string;
  remaining: number;
  noteMaxLength: number;
}

export function uploadPage({ language, switchBase, siteName, contact, action, remaining, noteMaxLength }: UploadPageInput): string {
  const t = translator(language);
  const clinic = clinicName(t, siteName);
  const strong = (key: string) => `<strong>${escapeHtml(t(key))}</strong>`;
  return layout(
    { language, switchBase },
    t('follow-up.upload.title', { clinic }),
    `${clinicLine(t, siteName)}
<h1>${escapeHtml(t('follow-up.upload.heading'))}</h1>
<p class="lead">${escapeHtml(t('follow-up.upload.lead', { clinic }))}</p>
<section class="howto" aria-labelledby="howto-title">
<h2 id="howto-title">${escapeHtml(t('follow-up.howto.heading'))}</h2>
<ol>
<li>${htmlMessage(t, 'follow-up.howto.daylight', { strong: strong('follow-up.howto.daylight.strong') })}</li>
<li>${htmlMessage(t, 'follow-up.howto.focus', { strong: strong('follow-up.howto.focus.strong') })}</li>
<li>${htmlMessage(t, 'follow-up.howto.framing', { whole: strong('follow-up.howto.framing.whole'), close: strong('follow-up.howto.framing.close') })}</li>
<li>${escapeHtml(t('follow-up.howto.privacy'))}</li>
</ol>
</section>
<form id="upload" class="upload" method="post" action="${escapeHtml(action)}" enctype="multipart/form-data"
 data-clinic="${escapeHtml(clinic)}"${contact ? ` data-contact="${escapeHtml(contact)}"` : ''} data-remaining="${remaining}"
 data-messages="${escapeHtml(JSON.stringify(plainMessages(t)))}"
 data-words="${escapeHtml(JSON.stringify(scriptWords(language, remaining)))}">
<div class="pickers">
<label class="picker picker-camera" for="camera" hidden>${escapeHtml(t('follow-up.picker.camera'))}<input id="camera" type="file" accept="image/*" capture="environment"></label>
<label class="picker picker-gallery" for="photos"><span class="picker-text">${escapeHtml(t('follow-up.picker.choose'))}</span><input id="photos" name="photos" type="file" accept="image/*" multiple required></label>
</div>
<p class="hint" id="hint">${escapeHtml(photosLeft(t, remaining))}</p>
<ul id="previews" class="previews" aria-label="${escapeHtml(t('follow-up.previews.label'))}"></ul>
<label class="note-label" for="note">${escapeHtml(t('follow-up.note.label'))}</label>
<textarea id="note" name="note" rows="3" maxlength="${noteMaxLength}" aria-describedby="note-hint"></textarea>
<p class="hint" id="note-hint">${escapeHtml(t('follow-up.note.hint'))}</p>
<progress id="progress" max="100" value="0" hidden></progress>
<p id="status" class="status" role="status" aria-live="polite"></p>
<button id="send" type="submit" class="send">${escapeHtml(t('follow-up.send'))}</button>
</form>`,
    true,
  );
}

export interface ResultPageInput extends PageLanguage {
  siteName: string | null;
  ok: boolean;
  message: string;
  /** The upload page, to send more (or try again); null when nothing more can be sent. */
  backHref: string | null;
}

/** What a browser without JavaScript shows after posting the form. */
export function resultPage({ language, switchBase, siteName, ok, message, backHref }: ResultPageInput): string {
  const t = translator(language);
  const title = t(ok ? 'follow-up.result.sent.title' : 'follow-up.result.failed.title');
  return layout(
    { language, switchBase },
    title,
    `${clinicLine(t, siteName)}
<h1>${escapeHtml(ok ? t('follow-up.result.thanks') : title)}</h1>
<p class="status ${ok ? 'success' : 'error'}" role="status">${escapeHtml(message)}</p>
${backHref ? `<p><a class="send" href="${escapeHtml(backHref)}">${escapeHtml(t(ok ? 'follow-up.result.send-more' : 'follow-up.result.try-again'))}</a></p>` : ''}`,
    false,
  );
}

/** "2 photos sent to the clinic", and how many more the link takes, if any. */
export function sentMessage(language: Language, received: number, remaining: number, siteName: string | null, withNote: boolean): string {
  const t = translator(language);
  const sent = t('follow-up.result.sent', { count: received, n: received, note: withNote ? 'yes' : 'no', clinic: clinicName(t, siteName) });
  return remaining > 0 ? t('follow-up.result.sent-more', { sent, more: t('follow-up.result.more', { count: remaining, n: remaining }) }) : sent;
}

/** Words and a call link for a contact that is a phone number; an address is shown as it is. */
function contactHtml(contact: string): string {
  const phone = /^\+?[0-9][0-9 ().-]{4,}$/.test(contact) ? contact.replace(/[^0-9+]/g, '') : null;
  return phone ? `<a href="tel:${escapeHtml(phone)}">${escapeHtml(contact)}</a>` : escapeHtml(contact);
}

/**
 * The page for every link that does not work: unknown, expired, revoked, used up, or its case closed. A link
 * that exists and whose clinic has a contact also says whom to ask; anything else gets the same words. Its
 * language switch points at the current address, which holds no more than the token the reader already has.
 */
export function linkGonePage(language: Language, clinic: ClinicContact | null = null): string {
  const t = translator(language);
  const words = clinic
    ? htmlMessage(t, 'follow-up.error.NOT_FOUND_WITH_CONTACT', { clinic: escapeHtml(clinic.siteName), contact: contactHtml(clinic.contact) })
    : escapeHtml(t('follow-up.error.NOT_FOUND'));
  return layout(
    { language, switchBase: '' },
    t('follow-up.gone.title'),
    `<h1>${escapeHtml(t('follow-up.gone.heading'))}</h1>
<p class="status error">${words}</p>`,
    false,
  );
}
