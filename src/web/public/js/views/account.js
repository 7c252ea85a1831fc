// The signed-in user's own account: who they are, and changing their password (their other devices are
// then signed out).
import { api, ApiError, session } from '../api.js';
import { field, h, mount, notice } from '../dom.js';
import { handleSubmit, unfilled } from '../form.js';
import { pageHeading } from '../ui.js';

/** @param {HTMLElement} main */
export async function accountView(main) {
  const user = session.user;
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', minlength: '12' });
  const again = h('input', { type: 'password', name: 'newPassword2', autocomplete: 'new-password', minlength: '12' });
  const done = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Change my password');
  const form = h(
    'form',
    { class: 'card narrow', id: 'password-form', novalidate: true },
    h('h2', {}, 'Change your password'),
    field('Current password', current, { required: true }),
    field('New password', next, { required: true, hint: 'At least 12 characters; not a common password, a keyboard row or one word repeated.' }),
    field('New password again', again, { required: true }),
    done,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Changing…',
    check() {
      done.replaceChildren();
      const problems = unfilled([
        [current, 'Enter your current password.'],
        [next, 'Enter a new password.'],
      ]);
      if (next.value && next.value !== again.value) problems.push([again, 'Type the same new password again: the two are not the same.']);
      return problems;
    },
    fields: { currentPassword: current, newPassword: next },
    async send() {
      await api.post('/api/v1/me/password', { currentPassword: current.value, newPassword: next.value });
      form.reset();
      mount(done, notice('ok', 'Your password is changed. Any other device signed in to your account is now signed out.'));
    },
    // The server's reasons belong to a field: which password is wrong, or what the new one breaks.
    failed(error) {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'WRONG_PASSWORD') return [[current, error.message]];
      if (error.code === 'WEAK_PASSWORD') return [[next, error.message]];
    },
  });
  mount(
    main,
    pageHeading('Your account'),
    user ? h('p', {}, `${user.name} · ${user.email ?? ''} · ${user.role}`) : null,
    form,
  );
}
