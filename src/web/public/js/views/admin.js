// The admin's pages: users (create, disable, queues), sites, queues. Statistics and the audit trail have
// their own files (admin-stats.js, admin-audit.js).
import { api, ApiError } from '../api.js';
import { field, h, mount, notice, select, uid } from '../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../form.js';
import { dateTime, minutes } from '../format.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { emptyState, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').SiteBody} SiteBody */
/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */

/** The roles to choose from, named in the reader's language (asked each time: the language can change). */
const roles = () => ['clinician', 'reviewer', 'trainee', 'admin'].map((role) => [role, t('web-admin.users.role-option', { role })]);
/** @typedef {typeof URGENCIES[number]} Urgency */
/** The urgencies in the order a queue's deadlines are shown, the shortest first. */
const URGENCIES = /** @type {const} */ (['urgent', 'soon', 'routine']);
/** The longest deadline the server takes: a year. */
const MAX_DEADLINE_HOURS = 24 * 365;
const tiers = () => ['primary', 'secondary', 'tertiary'].map((tier) => [tier, t('web-admin.sites.tier-option', { tier })]);
/** @param {string} urgency */
const urgencyName = (urgency) => t('web-admin.urgency', { urgency });

/**
 * A captioned table in a scrolling, focusable region (so a keyboard can scroll it on a phone).
 * @param {string} caption
 * @param {readonly string[]} headers
 * @param {readonly HTMLTableRowElement[]} rows
 * @param {{ id?: string }} [options]
 */
export function table(caption, headers, rows, { id } = {}) {
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      { id },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows),
    ),
  );
}

/**
 * @param {readonly Queue[]} queues
 * @param {readonly string[]} selected slugs of the queues to check
 * @param {string} name
 */
function queueCheckboxes(queues, selected, name) {
  return h(
    'fieldset',
    { class: 'checks' },
    h('legend', {}, t('web-admin.users.queues')),
    queues.map((q) => {
      const box = h('input', { type: 'checkbox', name, value: q.slug, id: uid('q'), checked: selected.includes(q.slug) });
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, q.name));
    }),
  );
}

/**
 * The checkboxes as a place for form.js to show a problem.
 * @param {HTMLFieldSetElement} boxes
 */
export const checkboxGroup = (boxes) => ({ el: boxes, focus: () => boxes.querySelector('input')?.focus() });

/**
 * An email another user has: said beside the email field.
 * @param {unknown} error
 * @param {HTMLInputElement} email
 * @returns {import('../form.js').Problem[] | undefined}
 */
function emailTaken(error, email) {
  if (error instanceof ApiError && error.code === 'EMAIL_TAKEN') return [[email, error.message]];
}

/** @param {ParentNode} root */
export const checkedValues = (root) => [.../** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll('input[type=checkbox]:checked'))].map((b) => b.value);

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} _params
 * @param {ViewContext} ctx
 */
export async function usersView(main, _params, ctx) {
  const [users, sites, queues] = /** @type {[UserBody[], SiteBody[], Queue[]]} */ (await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/sites'), api.get('/api/v1/queues')]));
  /** @type {Map<string | null, string>} site id -> name */
  const siteName = new Map(sites.map((s) => [s.id, s.name]));

  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', autocapitalize: 'none' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const role = select('role', roles(), 'clinician');
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: '12' });
  const site = select('siteId', [['', t('web-admin.users.no-site')], ...sites.map((s) => [s.id, s.name])], '');
  const queueBoxes = queueCheckboxes(queues, [], 'queues');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.users.create'));
  const showQueues = () => (queueBoxes.hidden = role.value !== 'reviewer');
  role.addEventListener('change', showQueues);
  showQueues();
  const form = h(
    'form',
    { class: 'card', id: 'create-user-form', novalidate: true },
    h('h2', {}, t('web-admin.users.new')),
    h('div', { class: 'row' }, field(t('web-admin.users.email'), email, { required: true }), field(t('web-admin.name'), name, { required: true })),
    h('div', { class: 'row' }, field(t('web-admin.users.role'), role, { required: true }), field(t('web-admin.users.site'), site)),
    field(t('web-admin.users.password'), password, { required: true, hint: t('web-admin.users.password-hint') }),
    queueBoxes,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.creating'),
    check() {
      const problems = unfilled([
        [email, t('web-admin.users.enter-email')],
        [name, t('web-admin.users.enter-name')],
      ]);
      if (password.value.length < 12) problems.push([password, t('web-admin.users.enter-password')]);
      return problems;
    },
    fields: { email, name, role, password, siteId: site, queues: checkboxGroup(queueBoxes) },
    async send() {
      /** @type {{ email: string, name: string, role: string, password: string, siteId?: string, queues?: string[] }} */
      const body = { email: email.value.trim(), name: name.value.trim(), role: role.value, password: password.value };
      if (site.value) body.siteId = site.value;
      if (role.value === 'reviewer') body.queues = checkedValues(queueBoxes);
      await api.post('/api/v1/users', body);
      await usersView(main, _params, ctx);
      main.prepend(notice('ok', t('web-admin.users.created', { name: body.name })));
    },
    failed: (error) => emailTaken(error, email),
  });

  const rowMessage = h('div', { 'aria-live': 'polite' });
  const rows = users.map((u) => {
    const toggle = h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger-button btn-small', dataset: { userId: u.id } }, t(u.disabled ? 'web-admin.users.enable' : 'web-admin.users.disable', { name: u.name }));
    toggle.addEventListener('click', () => {
      // Disabling signs the person out at once and stops their work: asked once more, in plain words.
      if (!u.disabled && !window.confirm(t('web-admin.users.disable-confirm', { name: u.name }))) return;
      void buttonAction(toggle, rowMessage, async () => {
        await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
        await usersView(main, _params, ctx);
        main.prepend(notice('ok', t(u.disabled ? 'web-admin.users.enabled' : 'web-admin.users.disabled', { name: u.name })));
      });
    });
    const edit = userEditor(u, sites, async (message) => {
      await usersView(main, _params, ctx);
      main.prepend(notice('ok', message));
    }, rowMessage);
    /** @type {string | HTMLElement} */
    let queuesCell = (u.queues ?? []).join(', ') || '—';
    if (u.role === 'reviewer') {
      const details = h('details', { class: 'queue-edit' }, h('summary', {}, (u.queues ?? []).join(', ') || t('web-admin.users.no-queues')));
      const boxes = queueCheckboxes(queues, u.queues ?? [], `queues-${u.id}`);
      const save = h('button', { type: 'submit', class: 'secondary btn-small' }, t('web-admin.users.save-queues'));
      const qform = h('form', {}, boxes, save);
      handleSubmit(qform, {
        submit: save,
        busyLabel: t('web-admin.saving'),
        fields: { queues: checkboxGroup(boxes) },
        async send() {
          await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { queues: checkedValues(boxes) });
          await usersView(main, _params, ctx);
          main.prepend(notice('ok', t('web-admin.users.queues-saved', { name: u.name })));
        },
      });
      details.append(qform);
      queuesCell = details;
    }
    return h(
      'tr',
      { class: u.disabled ? 'row-disabled' : null, dataset: { userId: u.id } },
      h('td', {}, u.name, h('br'), h('span', { class: 'muted small' }, u.email)),
      h('td', {}, t('web-admin.users.role-name', { role: u.role })),
      h('td', {}, siteName.get(u.siteId) ?? '—'),
      h('td', {}, queuesCell),
      h('td', {}, u.disabled ? h('span', { class: 'badge badge-closed' }, t('web-admin.users.status-disabled')) : h('span', { class: 'badge badge-answered' }, t('web-admin.users.status-active'))),
      h('td', { class: 'user-actions' }, toggle, edit),
    );
  });

  mount(
    main,
    pageHeading(t('web-admin.users.heading')),
    form,
    rowMessage,
    table(t('web-admin.users.table'), [t('web-admin.name'), t('web-admin.users.role'), t('web-admin.users.site'), t('web-admin.users.queues'), t('web-admin.users.status'), ''], rows, { id: 'users-table' }),
  );
}

/**
 * A user's details for an admin to change (name, email, role, site) and a one-time password-reset link to
 * hand over; the link is shown once, here.
 * @param {UserBody} u
 * @param {SiteBody[]} sites
 * @param {(message: string) => Promise<void>} saved
 * @param {HTMLElement} messages
 */
function userEditor(u, sites, saved, messages) {
  const name = h('input', { type: 'text', name: 'name', value: u.name, autocomplete: 'off' });
  const email = h('input', { type: 'email', name: 'email', value: u.email, autocomplete: 'off', autocapitalize: 'none' });
  const role = select('role', roles(), u.role);
  const site = select('siteId', [['', t('web-admin.users.no-site')], ...sites.map((s) => [s.id, s.name])], u.siteId ?? '');
  const save = h('button', { type: 'submit', class: 'secondary btn-small' }, t('web-admin.users.save'));
  const form = h(
    'form',
    { class: 'user-edit' },
    field(t('web-admin.name'), name, { required: true }),
    field(t('web-admin.users.email'), email, { required: true }),
    field(t('web-admin.users.role'), role),
    field(t('web-admin.users.site'), site),
    save,
  );
  handleSubmit(form, {
    submit: save,
    busyLabel: t('web-admin.saving'),
    check: () =>
      unfilled([
        [name, t('web-admin.users.enter-edited-name')],
        [email, t('web-admin.users.enter-edited-email')],
      ]),
    fields: { name, email, role, siteId: site },
    async send() {
      await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { name: name.value.trim(), email: email.value.trim(), role: role.value, siteId: site.value || null });
      await saved(t('web-admin.users.saved', { name: name.value.trim() }));
    },
    failed: (error) => emailTaken(error, email),
  });
  const linkBox = h('div', { class: 'reset-link', 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', class: 'secondary btn-small' }, t('web-admin.users.reset-link'));
  reset.addEventListener('click', () =>
    buttonAction(reset, messages, async () => {
      const link = /** @type {{ url: string, expiresAt: string }} */ (await api.post(`/api/v1/users/${encodeURIComponent(u.id)}/password-reset`));
      const url = h('input', { type: 'text', readonly: true, value: link.url, 'aria-label': t('web-admin.users.reset-link-of', { name: u.name }) });
      mount(linkBox, h('p', { class: 'small' }, t('web-admin.users.reset-link-note', { name: u.name, until: formatDate(link.expiresAt) })), url);
      url.select();
    }),
  );
  return h('details', { class: 'user-edit-details' }, h('summary', {}, t('web-admin.users.edit', { name: u.name })), form, reset, linkBox);
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function sitesView(main, params, ctx) {
  const sites = /** @type {SiteBody[]} */ (await api.get('/api/v1/sites'));
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const tier = select('tier', tiers(), 'primary');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.sites.add'));
  const form = h(
    'form',
    { class: 'card', id: 'create-site-form', novalidate: true },
    h('h2', {}, t('web-admin.sites.new')),
    h('div', { class: 'row' }, field(t('web-admin.name'), name, { required: true }), field(t('web-admin.sites.tier'), tier)),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.adding'),
    check: () => unfilled([[name, t('web-admin.sites.enter-name')]]),
    fields: { name, tier },
    async send() {
      await api.post('/api/v1/sites', { name: name.value.trim(), tier: tier.value });
      await sitesView(main, params, ctx);
      main.prepend(notice('ok', t('web-admin.sites.added')));
    },
  });
  mount(
    main,
    pageHeading(t('web-admin.sites.heading')),
    form,
    sites.length
      ? table(
          t('web-admin.sites.heading'),
          [t('web-admin.name'), t('web-admin.sites.tier-column'), t('web-admin.added')],
          sites.map((s) => h('tr', {}, h('td', {}, s.name), h('td', {}, t('web-admin.sites.tier-name', { tier: s.tier })), h('td', {}, dateTime(s.createdAt)))),
          { id: 'sites-table' },
        )
      : emptyState(t('web-admin.sites.none')),
  );
}

/**
 * A deadline as people say it: whole days from two days on ("3 days"), hours below ("4 h", "1.5 h"), as
 * minutes() in format.js turns to days at 48 h.
 * @param {number} hours
 */
function deadline(hours) {
  return hours >= 48 && hours % 24 === 0 ? t('web-admin.queues.days', { days: hours / 24 }) : t('web-admin.queues.hours', { hours });
}

/** @param {Queue['deadlineHours']} hours */
const deadlines = (hours) => URGENCIES.map((u) => t('web-admin.queues.deadline', { urgency: urgencyName(u), time: deadline(hours[u]) })).join(' · ');

/**
 * The card where an admin sets a queue's deadline for each urgency, or puts them back to the defaults.
 * @param {readonly Queue[]} queues
 * @param {string | undefined} chosen the queue shown first (the one just saved); else the first
 * @param {(slug: string, message: string) => Promise<void>} saved redraws the page with the message
 */
function deadlinesCard(queues, chosen, saved) {
  const queue = select('queue', queues.map((q) => [q.slug, q.name]), chosen ?? queues[0]?.slug);
  const hours = /** @type {Record<Urgency, HTMLInputElement>} */ (Object.fromEntries(URGENCIES.map((u) => [u, h('input', { type: 'number', name: u, min: '0.5', max: String(MAX_DEADLINE_HOURS), step: '0.5', inputmode: 'decimal' })])));
  const current = () => /** @type {Queue} */ (queues.find((q) => q.slug === queue.value));
  const fill = () => {
    for (const u of URGENCIES) hours[u].value = String(current().deadlineHours[u]);
  };
  queue.addEventListener('change', fill);
  fill();
  const hoursBoxes = h('fieldset', { class: 'deadline-hours' }, h('legend', {}, t('web-admin.queues.hours-legend')), URGENCIES.map((u) => field(urgencyName(u), hours[u], { required: true })));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.queues.save-deadlines'));
  const reset = h('button', { type: 'button', class: 'secondary' }, t('web-admin.queues.reset-deadlines'));
  const resetMessage = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', id: 'queue-deadlines-form', novalidate: true },
    h('h2', {}, t('web-admin.queues.deadlines')),
    field(t('web-admin.queues.queue'), queue, { hint: t('web-admin.queues.deadlines-hint') }),
    hoursBoxes,
    h('div', { class: 'actions' }, submit, reset),
    resetMessage,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.saving'),
    check() {
      const problems = unfilled(URGENCIES.map((u) => /** @type {const} */ ([hours[u], t('web-admin.queues.enter-hours', { urgency: u })])));
      for (const u of URGENCIES) {
        const n = Number(hours[u].value);
        const halfHours = Number.isFinite(n) && Number.isInteger(n * 2) && n >= 0.5 && n <= MAX_DEADLINE_HOURS;
        if (hours[u].value.trim() && !halfHours) problems.push([hours[u], t('web-admin.queues.hours-range', { urgency: u, max: String(MAX_DEADLINE_HOURS) })]);
      }
      return problems;
    },
    fields: { deadlineHours: { el: hoursBoxes, focus: () => hours.urgent.focus() } },
    async send() {
      const { slug, name } = current();
      const body = { deadlineHours: Object.fromEntries(URGENCIES.map((u) => [u, Number(hours[u].value)])) };
      const updated = /** @type {Queue} */ (await api.patch(`/api/v1/queues/${encodeURIComponent(slug)}`, body));
      await saved(slug, t('web-admin.queues.deadlines-saved', { queue: name, deadlines: deadlines(updated.deadlineHours) }));
    },
  });
  reset.addEventListener('click', () =>
    buttonAction(reset, resetMessage, async () => {
      const { slug, name } = current();
      const updated = /** @type {Queue} */ (await api.patch(`/api/v1/queues/${encodeURIComponent(slug)}`, { deadlineHours: null }));
      await saved(slug, t('web-admin.queues.deadlines-reset', { queue: name, deadlines: deadlines(updated.deadlineHours) }));
    }, t('web-admin.queues.resetting')),
  );
  return form;
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 * @param {string} [deadlinesQueue] the queue the Deadlines card shows (after a save, the one saved)
 */
export async function queuesAdminView(main, params, ctx, deadlinesQueue) {
  const queues = /** @type {Queue[]} */ (await api.get('/api/v1/queues'));
  const slug = h('input', { type: 'text', name: 'slug', autocomplete: 'off', autocapitalize: 'none', pattern: '[a-z0-9][a-z0-9-]*', spellcheck: 'false' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const quorum = h('input', { type: 'number', name: 'quorum', min: '1', max: '10', value: '2', inputmode: 'numeric' });
  const description = h('textarea', { name: 'description', rows: '2', maxlength: '2000' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.queues.add'));
  const form = h(
    'form',
    { class: 'card', id: 'create-queue-form', novalidate: true },
    h('h2', {}, t('web-admin.queues.new')),
    h('div', { class: 'row' }, field(t('web-admin.queues.slug'), slug, { required: true, hint: t('web-admin.queues.slug-hint') }), field(t('web-admin.name'), name, { required: true })),
    field(t('web-admin.queues.quorum'), quorum, { required: true }),
    field(t('web-admin.queues.description'), description),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.adding'),
    check() {
      const problems = unfilled([
        [slug, t('web-admin.queues.enter-slug')],
        [name, t('web-admin.queues.enter-name')],
      ]);
      if (slug.value.trim() && !/^[a-z0-9][a-z0-9-]*$/.test(slug.value.trim())) problems.splice(0, 0, [slug, t('web-admin.queues.slug-format')]);
      const n = Number(quorum.value);
      if (!Number.isInteger(n) || n < 1 || n > 10) problems.push([quorum, t('web-admin.queues.enter-quorum')]);
      return problems;
    },
    fields: { slug, name, quorum, description },
    async send() {
      await api.post('/api/v1/queues', { slug: slug.value.trim(), name: name.value.trim(), quorum: Number(quorum.value), description: description.value.trim() });
      await queuesAdminView(main, params, ctx, deadlinesQueue);
      main.prepend(notice('ok', t('web-admin.queues.added')));
    },
  });
  mount(
    main,
    pageHeading(t('web-admin.queues.heading')),
    table(
      t('web-admin.queues.heading'),
      ['name', 'queues.short-name', 'queues.opinions-needed', 'queues.answer-within', 'queues.open-cases', 'queues.oldest-waiting'].map((key) => t(`web-admin.${key}`)),
      queues.map((q) =>
        h(
          'tr',
          { dataset: { queue: q.slug } },
          h('td', {}, q.name, q.description ? [h('br'), h('span', { class: 'muted small' }, q.description)] : null),
          h('td', {}, q.slug),
          h('td', {}, formatNumber(q.quorum)),
          h('td', { class: 'queue-deadlines' }, deadlines(q.deadlineHours)),
          h('td', {}, formatNumber(q.open)),
          h('td', {}, minutes(q.oldestWaitingMinutes)),
        ),
      ),
      { id: 'queues-table' },
    ),
    queues.length
      ? deadlinesCard(queues, deadlinesQueue, async (slug, message) => {
          await queuesAdminView(main, params, ctx, slug);
          main.prepend(notice('ok', message));
        })
      : null,
    form,
  );
}
