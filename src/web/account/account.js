// The form of /setup and /reset: checks that both passwords match, posts JSON to the page's endpoint, and
// shows the server's answer in plain words (the password rule that was broken, or that the address is
// no longer valid).

const form = /** @type {HTMLFormElement | null} */ (document.getElementById('account-form'));
const errorLine = /** @type {HTMLElement} */ (document.getElementById('form-error'));
const doneLine = /** @type {HTMLElement} */ (document.getElementById('form-done'));

/**
 * The page's words for what the script says (data-msg-* on the form, in the page's language).
 * @param {string} name
 * @param {number} [status]
 */
function words(name, status) {
  const text = (form && form.dataset[`msg${name.charAt(0).toUpperCase()}${name.slice(1)}`]) || '';
  return status === undefined ? text : text.replace('{status}', String(status));
}

/** @param {string} message */
function showError(message) {
  errorLine.textContent = message;
  errorLine.hidden = false;
}

if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorLine.hidden = true;
    const data = new FormData(form);
    const fields = /** @type {Record<string, string>} */ (Object.fromEntries([...data.entries()].map(([key, value]) => [key, String(value)])));
    if (fields.password !== fields.password2) {
      showError(words('mismatch'));
      return;
    }
    delete fields.password2;
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    try {
      // The server words its refusals (a weak password) in the page's language.
      const headers = { 'content-type': 'application/json', accept: 'application/json', 'accept-language': document.documentElement.lang || 'en' };
      const res = await fetch(form.dataset.endpoint || '', { method: 'POST', headers, body: JSON.stringify(fields) });
      // Read to the end either way: a page left with the answer half-read would cancel it.
      const body = await res.json().catch(() => null);
      if (res.ok) {
        form.hidden = true;
        doneLine.hidden = false;
        return;
      }
      if (res.status === 404) showError(words('gone'));
      else showError((body && body.message) || words('failed', res.status));
    } catch {
      showError(words('offline'));
    } finally {
      button.disabled = false;
    }
  });
}
