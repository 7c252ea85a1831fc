// The two account pages outside the web app, reached from a one-time address: /setup (the first admin,
// from the address the log prints) and /reset (a new password, from a link an admin issued). Small, no
// inline script or style (the CSP forbids both); the form posts JSON through account.js.
import { servedUrl } from '../assets.js';
import { cardPage, escapeHtml } from '../card-page.js';

const PASSWORD_RULE = 'At least 12 characters; not a common password, a keyboard row or one word repeated.';

function layout(title: string, body: string): string {
  return cardPage({ title, body, stylesheet: servedUrl('account/account.css'), script: servedUrl('account/account.js') });
}

function passwordField(label: string): string {
  return `<label for="password">${label}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" aria-describedby="password-rule">
<p id="password-rule" class="hint">${PASSWORD_RULE}</p>
<label for="password2">The same password again</label>
<input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="12">`;
}

export function setupPage(token: string): string {
  return layout(
    'Create the first admin',
    `<h1>Create the first admin</h1>
<p>No one can sign in yet. The account you create here manages users, sites and queues; this address then stops working.</p>
<form id="account-form" data-endpoint="/api/v1/setup" data-done="The admin account is ready.">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="name">Your name</label>
<input id="name" name="name" autocomplete="name" required maxlength="200">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
${passwordField('Password')}
<p id="form-error" class="error" role="alert" hidden></p>
<button type="submit">Create the admin account</button>
</form>
<p id="form-done" class="done" role="status" hidden>The admin account is ready. <a href="/#/login">Sign in</a>.</p>`,
  );
}

export function resetPage(token: string): string {
  return layout(
    'Set a new password',
    `<h1>Set a new password</h1>
<p>This link works once. Every device signed in to your account is signed out.</p>
<form id="account-form" data-endpoint="/api/v1/auth/reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${passwordField('New password')}
<p id="form-error" class="error" role="alert" hidden></p>
<button type="submit">Set the new password</button>
</form>
<p id="form-done" class="done" role="status" hidden>Your password is set. <a href="/#/login">Sign in</a>.</p>`,
  );
}

export function notUsablePage(): string {
  return layout(
    'This address does not work',
    `<h1>This address does not work</h1>
<p>It was used already, it has expired, or it was copied incompletely. Ask your administrator for a new one.</p>
<p><a href="/#/login">Go to the sign-in page</a></p>`,
  );
}
