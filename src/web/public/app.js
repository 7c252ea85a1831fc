// Entry point: sign-in state, the navigation for each role, and the hash routes to the views.
import { api, errorMessage, session, setUnauthorizedHandler, TOKEN_KEY } from './js/api.js';
import { h, mount, notice } from './js/dom.js';
import { currentPath, match, navigate, route } from './js/router.js';
import { syncLive } from './js/live.js';
import { installShortcuts } from './js/shortcuts.js';
import { flashNext, LANGUAGE_CHANGED, showFlash } from './js/ui.js';
import { initialLanguage, setLanguage, t } from './js/i18n.js';
import { loginView } from './js/views/login.js';
import { casesListView, newCaseView } from './js/views/clinician.js';
import { caseView } from './js/views/case/index.js';
import { queuesView } from './js/views/reviewer.js';
import { accountView } from './js/views/account.js';
import { queuesAdminView, sitesView, usersView } from './js/views/admin.js';
import { statsView } from './js/views/admin-stats.js';
import { auditView } from './js/views/admin-audit.js';
import { webhooksView } from './js/views/admin-webhooks.js';
import { learningView, teachingCaseView, teachingListView } from './js/views/teaching.js';

/** @typedef {import('../types.js').SessionUser} SessionUser */
/** @typedef {import('../types.js').UserBody} UserBody */

/** @type {Readonly<Record<string, string>>} */
const HOME = { clinician: '/cases', reviewer: '/queues', admin: '/admin/users', trainee: '/teaching' };

/** Each role's links: [route, catalogue key of its name]. @type {Readonly<Record<string, ReadonlyArray<readonly [string, string]>>>} */
const NAV = {
  clinician: [
    ['/cases', 'web-common.nav.myCases'],
    ['/cases/new', 'web-common.nav.newCase'],
  ],
  reviewer: [
    ['/queues', 'web-common.nav.myQueues'],
    ['/cases', 'web-common.nav.cases'],
  ],
  admin: [
    ['/admin/users', 'web-common.nav.users'],
    ['/admin/sites', 'web-common.nav.sites'],
    ['/admin/queues', 'web-common.nav.queues'],
    ['/admin/stats', 'web-common.nav.statistics'],
    ['/admin/audit', 'web-common.nav.audit'],
    ['/admin/webhooks', 'web-common.nav.webhooks'],
    ['/cases', 'web-common.nav.cases'],
  ],
  trainee: [
    ['/teaching', 'web-teaching.nav.cases'],
    ['/learning', 'web-teaching.nav.learning'],
  ],
};

// role-restricted views: [pattern, roles, view]
route('/login', { public: true, view: loginView });
route('/cases', { roles: ['clinician', 'reviewer', 'admin'], view: casesListView });
route('/cases/new', { roles: ['clinician'], view: newCaseView });
route('/cases/:id', { roles: ['clinician', 'reviewer', 'admin'], view: caseView });
route('/queues', { roles: ['reviewer', 'admin'], view: queuesView });
route('/account', { roles: ['clinician', 'reviewer', 'admin', 'trainee'], view: accountView });
route('/teaching', { roles: ['trainee'], view: teachingListView });
route('/teaching/:id', { roles: ['trainee'], view: teachingCaseView });
route('/learning', { roles: ['trainee'], view: learningView });
route('/admin/users', { roles: ['admin'], view: usersView });
route('/admin/sites', { roles: ['admin'], view: sitesView });
route('/admin/queues', { roles: ['admin'], view: queuesAdminView });
route('/admin/stats', { roles: ['admin'], view: statsView });
route('/admin/audit', { roles: ['admin'], view: auditView });
route('/admin/webhooks', { roles: ['admin'], view: webhooksView });

// index.html always has these three.
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const userBox = /** @type {HTMLElement} */ (document.getElementById('user-box'));
/** @type {import('../types.js').Cleanup | void | null} */
let cleanup = null;
let renderCount = 0;

/**
 * @param {SessionUser | null} user
 * @param {string} path
 */
function renderNav(user, path) {
  if (!user) {
    nav.replaceChildren();
    userBox.replaceChildren();
    return;
  }
  const links = (NAV[user.role] ?? []).map(([href, key]) =>
    h('li', {}, h('a', { href: `#${href}`, 'aria-current': href === path || (href !== '/cases' && path.startsWith(`${href}/`)) ? 'page' : false }, t(key))),
  );
  mount(nav, h('ul', { class: 'nav-links' }, links));
  mount(
    userBox,
    h('a', { class: 'who', href: '#/account', title: t('web-common.nav.account'), 'aria-current': path === '/account' ? 'page' : false }, user.name, h('span', { class: 'role' }, ` · ${t('web-common.role', { role: user.role })}`)),
    h('button', { type: 'button', class: 'link-button', id: 'sign-out', onclick: signOut }, t('web-common.signOut')),
  );
}

async function signOut() {
  try {
    await api.post('/api/v1/auth/logout');
  } catch {
    // The token may already be dead; signing out locally is what matters.
  }
  session.clear();
  flashNext('ok', t('web-common.signedOut'));
  navigate('/login');
}

setUnauthorizedHandler(() => {
  if (!session.token) return;
  session.rememberReturn(location.hash.replace(/^#/, ''));
  session.clear();
  flashNext('error', t('web-common.sessionEnded'));
  navigate('/login');
});

async function render() {
  const path = currentPath();
  const user = session.user;
  // Signed in: live updates flow (started after sign-in and on load); signed out: they stop.
  syncLive();
  drawShell();
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const thisRender = ++renderCount;

  if (path === '/' || path === '') {
    navigate(user ? (HOME[user.role] ?? '/login') : '/login');
    return;
  }
  const found = match(path);
  if (!found) {
    renderNav(user, path);
    mount(main, h('h1', {}, t('web-common.notFound')), h('p', {}, h('a', { href: '#/' }, t('web-common.toStart'))));
    return;
  }
  const { handler, params } = found;
  if (!handler.public && !session.token) {
    // After signing in, this tab comes back here (a link from an email, a bookmark).
    session.rememberReturn(location.hash.replace(/^#/, ''));
    navigate('/login');
    return;
  }
  if (handler.roles && user && !handler.roles.includes(user.role)) {
    navigate(HOME[user.role] ?? '/login');
    return;
  }
  renderNav(handler.public ? null : user, path);
  showFlash();
  main.replaceChildren();
  try {
    // Only public views (sign-in, which reads no context) can run without a user: a token comes with one.
    const result = await handler.view(main, params, { user: /** @type {SessionUser} */ (user), home: HOME, isCurrent: () => thisRender === renderCount });
    if (thisRender === renderCount) cleanup = result;
    else if (typeof result === 'function') result();
  } catch (error) {
    if (thisRender !== renderCount) return;
    mount(main, notice('error', errorMessage(error)), h('p', {}, h('a', { href: '#/' }, t('web-common.toStart'))));
  }
  if (thisRender === renderCount) {
    const title = main.querySelector('h1');
    if (title && document.activeElement === document.body) title.focus({ preventScroll: true });
  }
}

/** @param {string} role */
export function homeFor(role) {
  return HOME[role] ?? '/login';
}

// Signed in or out in another tab: this one follows (the token lives in localStorage, shared by the tabs).
window.addEventListener('storage', (event) => {
  if (event.key !== TOKEN_KEY && event.key !== null) return;
  if (!session.token) navigate('/login');
  else if (currentPath() === '/login') navigate('/');
  else void render();
});

let lastRoute = location.hash;
window.addEventListener('hashchange', () => {
  // In-page anchors (#main, #opinions) are not routes: jump there and put the route back.
  if (location.hash && !location.hash.startsWith('#/')) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    history.replaceState(null, '', lastRoute || '#/');
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
      target.scrollIntoView();
    }
    return;
  }
  lastRoute = location.hash;
  render();
});

// A new language (chosen on the account page, or the user's own after sign-in): the same page, in it.
window.addEventListener(LANGUAGE_CHANGED, () => void render());

/** The words of index.html's shell, in the current language. */
function drawShell() {
  nav.setAttribute('aria-label', t('web-common.nav.main'));
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('web-common.skipToContent');
}

installShortcuts();

async function start() {
  await initialLanguage;
  // Refresh the user (queues, role) when a token survives a reload.
  if (session.token) {
    try {
      const me = /** @type {import('../types.js').MeBody} */ (await api.get('/api/v1/me'));
      session.setUser(me);
      // Their own language, before anything is drawn.
      await setLanguage(me.language);
    } catch {
      session.clear();
    }
  }
  await render();
  document.body.dataset.ready = 'true';
}

start();
