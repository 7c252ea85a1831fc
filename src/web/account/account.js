// The form of /setup and /reset: checks that both passwords match, posts JSON to the page's endpoint, and
// shows the server's answer in plain words (the password rule that was broken, or that the address is
// no longer valid).

const form = /** @type {HTMLFormElement | null} */ (document.getElementById('account-form'));
const errorLine = /** @type {HTMLElement} */ (document.getElementById('form-error'));
const doneLine = /** @type {HTMLElement} */ (document.getElementById('form-done'));

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
      showError('The two passwords are not the same.');
      return;
    }
    delete fields.password2;
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    try {
      const res = await fetch(form.dataset.endpoint || '', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(fields) });
      // Read to the end either way: a page left with the answer half-read would cancel it.
      const body = await res.json().catch(() => null);
      if (res.ok) {
        form.hidden = true;
        doneLine.hidden = false;
        return;
      }
      if (res.status === 404) showError('This address does not work any more: it was used already or has expired. Ask your administrator for a new one.');
      else showError((body && body.message) || `Something went wrong (${res.status}). Please try again.`);
    } catch {
      showError('The service cannot be reached. Check the connection and try again.');
    } finally {
      button.disabled = false;
    }
  });
}
