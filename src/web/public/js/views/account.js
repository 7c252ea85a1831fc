// The signed-in user's own account: who they are, which emails reach them, and changing their password (their
// other devices are then signed out).
import { api, ApiError, errorMessage, session } from '../api.js';
import { field, h, mount, notice, uid } from '../dom.js';
import { handleSubmit, unfilled } from '../form.js';
import { pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').MeBody} MeBody */
/** @typedef {import('../../../types.js').EmailChoices} EmailChoices */
/** @typedef {import('../../../types.js').Role} Role */

/**
 * The email choices, in plain words, and who each concerns (the server sends each to those only).
 * @type {ReadonlyArray<{ key: keyof EmailChoices, label: string, roles: readonly Role[], hint?: string }>}
 */
const EMAIL_CHOICES = [
  { key: 'newCase', label: 'A new case arrives in my queue', roles: ['reviewer'] },
  { key: 'reply', label: 'The referring clinician replies on a case I have taken or reviewed', roles: ['reviewer'] },
  { key: 'answered', label: 'The specialists have answered my case', roles: ['clinician'] },
  { key: 'needsInfo', label: 'A specialist asks me for more information', roles: ['clinician'] },
  { key: 'followUp', label: 'Follow-up photos from a patient arrive on my case', roles: ['clinician'] },
  { key: 'overdue', label: 'A case passes its deadline without an answer', roles: ['reviewer', 'admin'] },
  {
    key: 'digest',
    label: 'Send me one daily digest instead',
    roles: ['clinician', 'reviewer', 'admin'],
    hint: 'One email a day with all of the above, instead of one email each time.',
  },
];
/** Said under the digest to those told of overdue cases: those do not wait for it. */
const OVERDUE_AT_ONCE = ' A case past its deadline is still sent at once.';

/**
 * "Email notifications": a checkbox for each choice that concerns this user, saved with PATCH /api/v1/me.
 * @param {MeBody} me
 */
function emailForm(me) {
  const choices = EMAIL_CHOICES.filter((choice) => choice.roles.includes(me.role));
  const toldOfOverdue = choices.some((choice) => choice.key === 'overdue');
  const boxes = choices.map((choice) => {
    const box = h('input', { type: 'checkbox', name: choice.key, id: uid('email'), checked: me.notifications.email[choice.key] === true });
    const hint = choice.hint && `${choice.hint}${choice.key === 'digest' && toldOfOverdue ? OVERDUE_AT_ONCE : ''}`;
    const hintId = hint ? `${box.id}-hint` : null;
    if (hintId) box.setAttribute('aria-describedby', hintId);
    return {
      choice,
      box,
      el: h(
        'div',
        { class: 'check' },
        box,
        h('div', {}, h('label', { for: box.id }, choice.label), hint ? h('p', { class: 'hint', id: hintId }, hint) : null),
      ),
    };
  });
  const done = h('div', { 'aria-live': 'polite', class: 'email-saved' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save email choices');
  const form = h(
    'form',
    { class: 'card narrow', id: 'email-form', novalidate: true },
    h('h2', {}, 'Email notifications'),
    h('fieldset', {}, h('legend', {}, 'Email me when'), boxes.map((b) => b.el)),
    done,
    submit,
  );
  for (const { box } of boxes) box.addEventListener('change', () => done.replaceChildren());
  handleSubmit(form, {
    submit,
    busyLabel: 'Saving…',
    check() {
      done.replaceChildren();
      return [];
    },
    async send() {
      const email = Object.fromEntries(boxes.map(({ choice, box }) => [choice.key, box.checked]));
      const saved = /** @type {MeBody} */ (await api.patch('/api/v1/me', { notifications: { email } }));
      // What the server kept, shown as it is.
      for (const { choice, box } of boxes) box.checked = saved.notifications.email[choice.key] === true;
      mount(done, notice('ok', 'Your email choices are saved.'));
    },
  });
  return form;
}

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
  /** @type {HTMLElement} */
  let emails;
  try {
    emails = emailForm(/** @type {MeBody} */ (await api.get('/api/v1/me')));
  } catch (error) {
    emails = h('div', { class: 'card narrow' }, h('h2', {}, 'Email notifications'), notice('error', `Your email choices could not be loaded. ${errorMessage(error)}`));
  }
  mount(
    main,
    pageHeading('Your account'),
    user ? h('p', {}, `${user.name} · ${user.email ?? ''} · ${user.role}`) : null,
    emails,
    form,
  );
}
