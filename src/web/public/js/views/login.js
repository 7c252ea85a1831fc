// The sign-in page.
import { api, session } from '../api.js';
import { field, h, mount } from '../dom.js';
import { handleSubmit, unfilled } from '../form.js';
import { navigate } from '../router.js';
import { setLanguage, t } from '../i18n.js';
import { pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').LoginReply} LoginReply */
/** @typedef {import('../../../types.js').MeBody} MeBody */

/** @type {Readonly<Record<string, string>>} */
const HOME = { clinician: '/cases', reviewer: '/queues', admin: '/admin/users' };

/** @param {HTMLElement} main */
export async function loginView(main) {
  if (session.token && session.user) {
    navigate(HOME[session.user.role] ?? '/cases');
    return;
  }
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', inputmode: 'email', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-common.login.submit'));
  const form = h(
    'form',
    { class: 'card narrow', id: 'login-form', novalidate: true },
    field(t('web-common.login.email'), email, { required: true }),
    field(t('web-common.login.password'), password, { required: true }),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-common.login.busy'),
    check: () => unfilled([
      [email, t('web-common.login.enterEmail')],
      [password, t('web-common.login.enterPassword')],
    ]),
    fields: { email, password },
    async send() {
      const result = /** @type {LoginReply} */ (await api.post('/api/v1/auth/login', { email: email.value.trim(), password: password.value }));
      session.save(result.token, result.user);
      try {
        const me = /** @type {MeBody} */ (await api.get('/api/v1/me'));
        session.setUser(me);
        // The user's own language from here on (the page drawn next is in it).
        await setLanguage(me.language);
      } catch {
        // The login answer has what the navigation needs.
      }
      password.value = '';
      // Back to the page that was asked for before signing in, if any.
      const back = session.takeReturn();
      if (back) location.hash = `#${back}`;
      else navigate(HOME[result.user.role] ?? '/cases');
    },
    failed: () => {
      password.value = '';
    },
  });
  mount(main, h('div', { class: 'login-wrap' }, pageHeading(t('web-common.login.heading')), h('p', { class: 'muted' }, t('web-common.login.tagline')), form));
  email.focus();
}
