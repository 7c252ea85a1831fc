// The signed-in user's own account: who they are, which emails reach them, and changing their password (their
// other devices are then signed out).
import { api, ApiError, errorMessage, session } from '../api.js';
import { field, h, mount, notice, uid } from '../dom.js';
import { handleSubmit, unfilled } from '../form.js';
import { currentLanguage, LANGUAGES, t } from '../i18n.js';
import { applyLanguage, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').MeBody} MeBody */
/** @typedef {import('../../../types.js').EmailChoices} EmailChoices */
/** @typedef {import('../../../types.js').Role} Role */

/**
 * The email choices (worded in web-common as account.email.<key>, with a hint at <key>Hint) and who each concerns
 * (the server sends each to those only).
 * @type {ReadonlyArray<{ key: keyof EmailChoices, roles: readonly Role[], hint?: boolean }>}
 */
const EMAIL_CHOICES = [
  { key: 'newCase', roles: ['reviewer'] },
  { key: 'reply', roles: ['reviewer'] },
  { key: 'answered', roles: ['clinician'] },
  { key: 'needsInfo', roles: ['clinician'] },
  { key: 'followUp', roles: ['clinician'] },
  { key: 'overdue', roles: ['reviewer', 'admin'] },
  { key: 'digest', roles: ['clinician', 'reviewer', 'admin'], hint: true },
];

/**
 * "Email notifications": a checkbox for each choice that concerns this user, saved with PATCH /api/v1/me; none
 * for a role no email concerns (trainees).
 * @param {MeBody} me
 */
function emailForm(me) {
  const choices = EMAIL_CHOICES.filter((choice) => choice.roles.includes(me.role));
  if (choices.length === 0) return null;
  const toldOfOverdue = choices.some((choice) => choice.key === 'overdue');
  const boxes = choices.map((choice) => {
    const box = h('input', { type: 'checkbox', name: choice.key, id: uid('email'), checked: me.notifications.email[choice.key] === true });
    // Those told of overdue cases read under the digest that these do not wait for it.
    const hint = choice.hint && [t(`web-common.account.email.${choice.key}Hint`), choice.key === 'digest' && toldOfOverdue ? t('web-common.account.email.overdueAtOnce') : ''].filter(Boolean).join(' ');
    const hintId = hint ? `${box.id}-hint` : null;
    if (hintId) box.setAttribute('aria-describedby', hintId);
    return {
      choice,
      box,
      el: h(
        'div',
        { class: 'check' },
        box,
        h('div', {}, h('label', { for: box.id }, t(`web-common.account.email.${choice.key}`)), hint ? h('p', { class: 'hint', id: hintId }, hint) : null),
      ),
    };
  });
  const done = h('div', { 'aria-live': 'polite', class: 'email-saved' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-common.account.email.save'));
  const form = h(
    'form',
    { class: 'card narrow', id: 'email-form', novalidate: true },
    h('h2', {}, t('web-common.account.email.heading')),
    h('fieldset', {}, h('legend', {}, t('web-common.account.email.legend')), boxes.map((b) => b.el)),
    done,
    submit,
  );
  for (const { box } of boxes) box.addEventListener('change', () => done.replaceChildren());
  handleSubmit(form, {
    submit,
    busyLabel: t('web-common.saving'),
    check() {
      done.replaceChildren();
      return [];
    },
    async send() {
      const email = Object.fromEntries(boxes.map(({ choice, box }) => [choice.key, box.checked]));
      const saved = /** @type {MeBody} */ (await api.patch('/api/v1/me', { notifications: { email } }));
      // What the server kept, shown as it is.
      for (const { choice, box } of boxes) box.checked = saved.notifications.email[choice.key] === true;
      mount(done, notice('ok', t('web-common.account.email.saved')));
    },
  });
  return form;
}

/**
 * "Language": the app's language, each named in itself, saved with PATCH /api/v1/me; the page is drawn again in it.
 * @param {string | null} chosen the user's choice (null: this browser's, shown as the language in use)
 */
function languageForm(chosen) {
  const select = h(
    'select',
    { name: 'language' },
    LANGUAGES.map((tag) => h('option', { value: tag, lang: tag, selected: tag === (chosen ?? currentLanguage()) }, t(`web-common.language.${tag}`))),
  );
  const done = h('div', { 'aria-live': 'polite' });
  select.addEventListener('change', async () => {
    done.replaceChildren();
    select.disabled = true;
    try {
      const saved = /** @type {MeBody} */ (await api.patch('/api/v1/me', { language: select.value }));
      await applyLanguage(saved.language);
      // The same language as before: nothing is drawn again, so say it is kept.
      if (select.isConnected) {
        select.disabled = false;
        mount(done, notice('ok', t('web-common.account.language.saved')));
      }
    } catch (error) {
      select.disabled = false;
      mount(done, notice('error', t('web-common.account.language.failed', { reason: errorMessage(error) })));
    }
  });
  return h('div', { class: 'card narrow', id: 'language-form' }, h('h2', {}, t('web-common.account.language.heading')), field(t('web-common.account.language.label'), select), done);
}

/** @param {HTMLElement} main */
export async function accountView(main) {
  const user = session.user;
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', minlength: '12' });
  const again = h('input', { type: 'password', name: 'newPassword2', autocomplete: 'new-password', minlength: '12' });
  const done = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-common.account.password.submit'));
  const form = h(
    'form',
    { class: 'card narrow', id: 'password-form', novalidate: true },
    h('h2', {}, t('web-common.account.password.heading')),
    field(t('web-common.account.password.current'), current, { required: true }),
    field(t('web-common.account.password.new'), next, { required: true, hint: t('web-common.account.password.newHint') }),
    field(t('web-common.account.password.again'), again, { required: true }),
    done,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-common.account.password.busy'),
    check() {
      done.replaceChildren();
      const problems = unfilled([
        [current, t('web-common.account.password.enterCurrent')],
        [next, t('web-common.account.password.enterNew')],
      ]);
      if (next.value && next.value !== again.value) problems.push([again, t('web-common.account.password.mismatch')]);
      return problems;
    },
    fields: { currentPassword: current, newPassword: next },
    async send() {
      await api.post('/api/v1/me/password', { currentPassword: current.value, newPassword: next.value });
      form.reset();
      mount(done, notice('ok', t('web-common.account.password.changed')));
    },
    // The server's reasons belong to a field: which password is wrong, or what the new one breaks.
    failed(error) {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'WRONG_PASSWORD') return [[current, error.message]];
      if (error.code === 'WEAK_PASSWORD') return [[next, error.message]];
    },
  });
  /** @type {HTMLElement | null} */
  let emails;
  /** @type {MeBody | null} */
  let me = null;
  try {
    me = /** @type {MeBody} */ (await api.get('/api/v1/me'));
    emails = emailForm(me);
  } catch (error) {
    emails = h('div', { class: 'card narrow' }, h('h2', {}, t('web-common.account.email.heading')), notice('error', t('web-common.account.email.loadFailed', { reason: errorMessage(error) })));
  }
  mount(
    main,
    pageHeading(t('web-common.account.heading')),
    user ? h('p', {}, t('web-common.account.who', { name: user.name, email: user.email ?? '', role: user.role })) : null,
    languageForm(me?.language ?? null),
    emails,
    form,
  );
}
