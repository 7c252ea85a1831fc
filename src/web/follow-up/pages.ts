// The HTML of the follow-up pages for patients and parents: the upload page, the result page (for browsers
// without JavaScript) and the one "link not valid" page. Small, no framework, no inline script or style
// (the CSP forbids both), nothing about the patient or the case: only the clinic's name.
import { servedUrl } from '../assets.js';
import { cardPage, escapeHtml } from '../card-page.js';
import type { ClinicContact } from '../../repositories/follow-up-links.js';
import { PLAIN_MESSAGES } from './messages.js';

const NEUTRAL_CLINIC = 'your clinic';

function layout(title: string, body: string, withScript: boolean): string {
  return cardPage({ title, body, stylesheet: servedUrl('follow-up/follow-up.css'), script: withScript ? servedUrl('follow-up/follow-up.js') : undefined, lightOnly: true });
}

function clinicLine(siteName: string | null): string {
  return `<p class="clinic">${escapeHtml(siteName ?? NEUTRAL_CLINIC)}</p>`;
}

function photos(n: number): string {
  return n === 1 ? '1 photo' : `${n} photos`;
}

export interface UploadPageInput {
  siteName: string | null;
  /** The clinic's phone number or address: the script shows it if the link stops working meanwhile. */
  contact: string | null;
  /** Where the form posts: /f/<token>/photos. */
  action: string;
  remaining: number;
  noteMaxLength: number;
}

export function uploadPage({ siteName, contact, action, remaining, noteMaxLength }: UploadPageInput): string {
  const clinic = siteName ?? NEUTRAL_CLINIC;
  return layout(
    `Send photos to ${clinic}`,
    `${clinicLine(siteName)}
<h1>Send follow-up photos</h1>
<p class="lead">Your clinic asked for photos of the treated skin. They go only to the care team at ${escapeHtml(clinic)}.</p>
<section class="howto" aria-labelledby="howto-title">
<h2 id="howto-title">How to take good photos</h2>
<ol>
<li><strong>Use daylight.</strong> Stand near a window. No flash, no coloured lamps.</li>
<li><strong>Keep it in focus.</strong> Hold the phone still and tap the skin on the screen to focus.</li>
<li><strong>First the whole area</strong>, from about an arm's length, so the body part can be seen, <strong>then a close-up</strong> from about a hand's width away.</li>
<li>Keep faces, names and papers out of the picture if you can.</li>
</ol>
</section>
<form id="upload" class="upload" method="post" action="${escapeHtml(action)}" enctype="multipart/form-data"
 data-clinic="${escapeHtml(clinic)}"${contact ? ` data-contact="${escapeHtml(contact)}"` : ''} data-remaining="${remaining}" data-messages="${escapeHtml(JSON.stringify(PLAIN_MESSAGES))}">
<div class="pickers">
<label class="picker picker-camera" for="camera" hidden>Take a photo<input id="camera" type="file" accept="image/*" capture="environment"></label>
<label class="picker picker-gallery" for="photos"><span class="picker-text">Choose photos</span><input id="photos" name="photos" type="file" accept="image/*" multiple required></label>
</div>
<p class="hint" id="hint">You can send up to ${photos(remaining)}.</p>
<ul id="previews" class="previews" aria-label="Photos to send"></ul>
<label class="note-label" for="note">A note for the clinic (optional)</label>
<textarea id="note" name="note" rows="3" maxlength="${noteMaxLength}" aria-describedby="note-hint"></textarea>
<p class="hint" id="note-hint">For example how it has changed. It is sent with the photos.</p>
<progress id="progress" max="100" value="0" hidden></progress>
<p id="status" class="status" role="status" aria-live="polite"></p>
<button id="send" type="submit" class="send">Send photos</button>
</form>`,
    true,
  );
}

export interface ResultPageInput {
  siteName: string | null;
  ok: boolean;
  message: string;
  /** The upload page, to send more (or try again); null when nothing more can be sent. */
  backHref: string | null;
}

/** What a browser without JavaScript shows after posting the form. */
export function resultPage({ siteName, ok, message, backHref }: ResultPageInput): string {
  return layout(
    ok ? 'Photos sent' : 'Photos not sent',
    `${clinicLine(siteName)}
<h1>${ok ? 'Thank you' : 'Photos not sent'}</h1>
<p class="status ${ok ? 'success' : 'error'}" role="status">${escapeHtml(message)}</p>
${backHref ? `<p><a class="send" href="${escapeHtml(backHref)}">${ok ? 'Send more photos' : 'Try again'}</a></p>` : ''}`,
    false,
  );
}

export function sentMessage(received: number, remaining: number, siteName: string | null, withNote: boolean): string {
  const more = remaining > 0 ? ` You can still send ${photos(remaining)} with this link.` : '';
  return `${photos(received)}${withNote ? ' and your note' : ''} sent to ${siteName ?? NEUTRAL_CLINIC}.${more}`;
}

/** Words and a call link for a contact that is a phone number; an address is shown as it is. */
function contactHtml(contact: string): string {
  const phone = /^\+?[0-9][0-9 ().-]{4,}$/.test(contact) ? contact.replace(/[^0-9+]/g, '') : null;
  return phone ? `<a href="tel:${escapeHtml(phone)}">${escapeHtml(contact)}</a>` : escapeHtml(contact);
}

/**
 * The page for every link that does not work: unknown, expired, revoked, used up, or its case closed. A link
 * that exists and whose clinic has a contact also says whom to ask; anything else gets the same words.
 */
export function linkGonePage(clinic: ClinicContact | null = null): string {
  const words = clinic
    ? escapeHtml(PLAIN_MESSAGES.NOT_FOUND_WITH_CONTACT!).replace(/\{(clinic|contact)\}/g, (_, slot) => (slot === 'clinic' ? escapeHtml(clinic.siteName) : contactHtml(clinic.contact)))
    : escapeHtml(PLAIN_MESSAGES.NOT_FOUND!);
  return layout(
    'Link not valid',
    `<h1>This link does not work</h1>
<p class="status error">${words}</p>`,
    false,
  );
}
