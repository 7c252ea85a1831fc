// The signed-in user's own account: who they are, and changing their password (their other devices are
// then signed out).
import { api, errorMessage, session } from '../api.js';
import { field, h, mount, notice } from '../dom.js';
import { busy, pageHeading } from '../ui.js';

/** @param {HTMLElement} main */
export async function accountView(main) {
  const user = session.user;
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', minlength: '12' });
  const again = h('input', { type: 'password', name: 'newPassword2', autocomplete: 'new-password', minlength: '12' });
  const messages = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Change my password');
  const form = h(
    'form',
    { class: 'card narrow', id: 'password-form', novalidate: true },
    h('h2', {}, 'Change your password'),
    field('Current password', current, { required: true }),
    field('New password', next, { required: true, hint: 'At least 12 characters; not a common password, a keyboard row or one word repeated.' }),
    field('New password again', again, { required: true }),
    messages,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    messages.replaceChildren();
    if (!current.value || !next.value) {
      mount(messages, notice('error', 'Enter your current password and a new one.'));
      return;
    }
    if (next.value !== again.value) {
      mount(messages, notice('error', 'The two new passwords are not the same.'));
      again.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        await api.post('/api/v1/me/password', { currentPassword: current.value, newPassword: next.value });
        form.reset();
        mount(messages, notice('ok', 'Your password is changed. Any other device signed in to your account is now signed out.'));
      } catch (error) {
        mount(messages, notice('error', errorMessage(error)));
      }
    });
  });
  mount(
    main,
    pageHeading('Your account'),
    user ? h('p', {}, `${user.name} · ${user.email ?? ''} · ${user.role}`) : null,
    form,
  );
}
