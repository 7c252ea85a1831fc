// The two account pages outside the web app, reached from a one-time address: /setup (the first admin,
// from the address the log prints) and /reset (a new password, from a link an admin issued). Small, no
// inline script or style (the CSP forbids both); the form posts JSON through account.js, which takes its
// words from the page (data-msg-* attributes), in the page's language.
import type { Translate } from '../../i18n/messages.js';
import type { Language } from '../../vocabulary.js';
import { servedUrl } from '../assets.js';
import { cardPage, escapeHtml } from '../card-page.js';

export interface PageWords {
  language: Language;
  t: Translate;
}

function layout({ language }: PageWords, title: string, body: string): string {
  return cardPage({ language, title, body, stylesheet: servedUrl('account/account.css'), scripts: [servedUrl('account/account.js')] });
}

const text = (w: PageWords, key: string, values?: Record<string, string | number>) => escapeHtml(w.t(`account-pages.${key}`, values));

/** The script's words, on the form. */
function scriptWords(w: PageWords): string {
  return ['mismatch', 'gone', 'failed', 'offline'].map((k) => `data-msg-${k}="${text(w, `script.${k}`, k === 'failed' ? { status: '{status}' } : undefined)}"`).join(' ');
}

function passwordField(w: PageWords, label: string): string {
  return `<label for="password">${label}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" aria-describedby="password-rule">
<p id="password-rule" class="hint">${text(w, 'passwordRule')}</p>
<label for="password2">${text(w, 'passwordAgain')}</label>
<input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="12">`;
}

export function setupPage(w: PageWords, token: string): string {
  return layout(
    w,
    w.t('account-pages.setup.title'),
    `<h1>${text(w, 'setup.title')}</h1>
<p>${text(w, 'setup.intro')}</p>
<form id="account-form" data-endpoint="/api/v1/setup" ${scriptWords(w)}>
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="name">${text(w, 'setup.name')}</label>
<input id="name" name="name" autocomplete="name" required maxlength="200">
<label for="email">${text(w, 'setup.email')}</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
${passwordField(w, text(w, 'setup.password'))}
<p id="form-error" class="error" role="alert" hidden></p>
<button type="submit">${text(w, 'setup.submit')}</button>
</form>
<p id="form-done" class="done" role="status" hidden>${text(w, 'setup.done')} <a href="/#/login">${text(w, 'signIn')}</a>.</p>`,
  );
}

export function resetPage(w: PageWords, token: string): string {
  return layout(
    w,
    w.t('account-pages.reset.title'),
    `<h1>${text(w, 'reset.title')}</h1>
<p>${text(w, 'reset.intro')}</p>
<form id="account-form" data-endpoint="/api/v1/auth/reset" ${scriptWords(w)}>
<input type="hidden" name="token" value="${escapeHtml(token)}">
${passwordField(w, text(w, 'reset.password'))}
<p id="form-error" class="error" role="alert" hidden></p>
<button type="submit">${text(w, 'reset.submit')}</button>
</form>
<p id="form-done" class="done" role="status" hidden>${text(w, 'reset.done')} <a href="/#/login">${text(w, 'signIn')}</a>.</p>`,
  );
}

export function notUsablePage(w: PageWords): string {
  return layout(
    w,
    w.t('account-pages.dead.title'),
    `<h1>${text(w, 'dead.title')}</h1>
<p>${text(w, 'dead.text')}</p>
<p><a href="/#/login">${text(w, 'dead.back')}</a></p>`,
  );
}
