// The admin's pages: users (create, disable, queues), sites, queues. Statistics and the audit trail have
// their own files (admin-stats.js, admin-audit.js).
import { api, ApiError } from '../api.js';
import { field, h, mount, notice, select, uid } from '../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../form.js';
import { dateTime, minutes, URGENCY_LABELS } from '../format.js';
import { emptyState, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').SiteBody} SiteBody */
/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */

const ROLES = [
  ['clinician', 'Clinician (sends cases)'],
  ['reviewer', 'Reviewer (dermatologist)'],
  ['admin', 'Admin'],
];
/** @typedef {typeof URGENCIES[number]} Urgency */
/** The urgencies in the order a queue's deadlines are shown, the shortest first. */
const URGENCIES = /** @type {const} */ (['urgent', 'soon', 'routine']);
/** The longest deadline the server takes: a year. */
const MAX_DEADLINE_HOURS = 24 * 365;
const TIERS = [
  ['primary', 'Primary'],
  ['secondary', 'Secondary'],
  ['tertiary', 'Tertiary'],
];

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
    h('legend', {}, 'Queues'),
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
  const role = select('role', ROLES, 'clinician');
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: '12' });
  const site = select('siteId', [['', 'No site'], ...sites.map((s) => [s.id, s.name])], '');
  const queueBoxes = queueCheckboxes(queues, [], 'queues');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create user');
  const showQueues = () => (queueBoxes.hidden = role.value !== 'reviewer');
  role.addEventListener('change', showQueues);
  showQueues();
  const form = h(
    'form',
    { class: 'card', id: 'create-user-form', novalidate: true },
    h('h2', {}, 'New user'),
    h('div', { class: 'row' }, field('Email', email, { required: true }), field('Name', name, { required: true })),
    h('div', { class: 'row' }, field('Role', role, { required: true }), field('Site', site)),
    field('First password', password, { required: true, hint: 'At least 12 characters. Give it to the person privately.' }),
    queueBoxes,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Creating…',
    check() {
      const problems = unfilled([
        [email, 'Enter the email address the person signs in with.'],
        [name, 'Enter the person\'s name.'],
      ]);
      if (password.value.length < 12) problems.push([password, 'Enter a first password of at least 12 characters.']);
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
      main.prepend(notice('ok', `${body.name} can now sign in.`));
    },
    failed: (error) => emailTaken(error, email),
  });

  const rowMessage = h('div', { 'aria-live': 'polite' });
  const rows = users.map((u) => {
    const toggle = h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger-button btn-small', dataset: { userId: u.id } }, u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`);
    toggle.addEventListener('click', () => {
      // Disabling signs the person out at once and stops their work: asked once more, in plain words.
      if (!u.disabled && !window.confirm(`Disable ${u.name}? They are signed out at once and cannot sign in until enabled again.`)) return;
      void buttonAction(toggle, rowMessage, async () => {
        await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
        await usersView(main, _params, ctx);
        main.prepend(notice('ok', `${u.name} is ${u.disabled ? 'enabled' : 'disabled'}.`));
      });
    });
    const edit = userEditor(u, sites, async (message) => {
      await usersView(main, _params, ctx);
      main.prepend(notice('ok', message));
    }, rowMessage);
    /** @type {string | HTMLElement} */
    let queuesCell = (u.queues ?? []).join(', ') || '—';
    if (u.role === 'reviewer') {
      const details = h('details', { class: 'queue-edit' }, h('summary', {}, (u.queues ?? []).join(', ') || 'No queues'));
      const boxes = queueCheckboxes(queues, u.queues ?? [], `queues-${u.id}`);
      const save = h('button', { type: 'submit', class: 'secondary btn-small' }, 'Save queues');
      const qform = h('form', {}, boxes, save);
      handleSubmit(qform, {
        submit: save,
        busyLabel: 'Saving…',
        fields: { queues: checkboxGroup(boxes) },
        async send() {
          await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { queues: checkedValues(boxes) });
          await usersView(main, _params, ctx);
          main.prepend(notice('ok', `Queues of ${u.name} saved.`));
        },
      });
      details.append(qform);
      queuesCell = details;
    }
    return h(
      'tr',
      { class: u.disabled ? 'row-disabled' : null, dataset: { userId: u.id } },
      h('td', {}, u.name, h('br'), h('span', { class: 'muted small' }, u.email)),
      h('td', {}, u.role),
      h('td', {}, siteName.get(u.siteId) ?? '—'),
      h('td', {}, queuesCell),
      h('td', {}, u.disabled ? h('span', { class: 'badge badge-closed' }, 'Disabled') : h('span', { class: 'badge badge-answered' }, 'Active')),
      h('td', { class: 'user-actions' }, toggle, edit),
    );
  });

  mount(main, pageHeading('Users'), form, rowMessage, table('All users', ['Name', 'Role', 'Site', 'Queues', 'Status', ''], rows, { id: 'users-table' }));
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
  const role = select('role', ROLES, u.role);
  const site = select('siteId', [['', 'No site'], ...sites.map((s) => [s.id, s.name])], u.siteId ?? '');
  const save = h('button', { type: 'submit', class: 'secondary btn-small' }, 'Save changes');
  const form = h('form', { class: 'user-edit' }, field('Name', name, { required: true }), field('Email', email, { required: true }), field('Role', role), field('Site', site), save);
  handleSubmit(form, {
    submit: save,
    busyLabel: 'Saving…',
    check: () =>
      unfilled([
        [name, 'Enter the name.'],
        [email, 'Enter the email address.'],
      ]),
    fields: { name, email, role, siteId: site },
    async send() {
      await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { name: name.value.trim(), email: email.value.trim(), role: role.value, siteId: site.value || null });
      await saved(`${name.value.trim()} is saved.`);
    },
    failed: (error) => emailTaken(error, email),
  });
  const linkBox = h('div', { class: 'reset-link', 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', class: 'secondary btn-small' }, 'Make a password-reset link');
  reset.addEventListener('click', () =>
    buttonAction(reset, messages, async () => {
      const link = /** @type {{ url: string, expiresAt: string }} */ (await api.post(`/api/v1/users/${encodeURIComponent(u.id)}/password-reset`));
      const url = h('input', { type: 'text', readonly: true, value: link.url, 'aria-label': `Password-reset link for ${u.name}` });
      mount(linkBox, h('p', { class: 'small' }, `Give this link to ${u.name} privately; it works once, until ${new Date(link.expiresAt).toLocaleString()}.`), url);
      url.select();
    }),
  );
  return h('details', { class: 'user-edit-details' }, h('summary', {}, `Edit ${u.name}`), form, reset, linkBox);
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function sitesView(main, params, ctx) {
  const sites = /** @type {SiteBody[]} */ (await api.get('/api/v1/sites'));
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const tier = select('tier', TIERS, 'primary');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add site');
  const form = h('form', { class: 'card', id: 'create-site-form', novalidate: true }, h('h2', {}, 'New site'), h('div', { class: 'row' }, field('Name', name, { required: true }), field('Hospital tier', tier)), submit);
  handleSubmit(form, {
    submit,
    busyLabel: 'Adding…',
    check: () => unfilled([[name, 'Enter the site name.']]),
    fields: { name, tier },
    async send() {
      await api.post('/api/v1/sites', { name: name.value.trim(), tier: tier.value });
      await sitesView(main, params, ctx);
      main.prepend(notice('ok', 'Site added.'));
    },
  });
  mount(
    main,
    pageHeading('Sites'),
    form,
    sites.length ? table('Sites', ['Name', 'Tier', 'Added'], sites.map((s) => h('tr', {}, h('td', {}, s.name), h('td', {}, s.tier), h('td', {}, dateTime(s.createdAt)))), { id: 'sites-table' }) : emptyState('No sites yet.'),
  );
}

/**
 * A deadline as people say it: whole days from two days on ("3 days"), hours below ("4 h", "1.5 h"), as
 * minutes() in format.js turns to days at 48 h.
 * @param {number} hours
 */
function deadline(hours) {
  const number = (/** @type {number} */ n) => n.toLocaleString(undefined, { maximumFractionDigits: 2 });
  return hours >= 48 && hours % 24 === 0 ? `${number(hours / 24)} days` : `${number(hours)} h`;
}

/** @param {Queue['deadlineHours']} hours */
const deadlines = (hours) => URGENCIES.map((u) => `${URGENCY_LABELS[u]} ${deadline(hours[u])}`).join(' · ');

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
  const hoursBoxes = h('fieldset', { class: 'deadline-hours' }, h('legend', {}, 'Answer within, in hours'), URGENCIES.map((u) => field(URGENCY_LABELS[u], hours[u], { required: true })));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save deadlines');
  const reset = h('button', { type: 'button', class: 'secondary' }, 'Back to the defaults');
  const resetMessage = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', id: 'queue-deadlines-form', novalidate: true },
    h('h2', {}, 'Deadlines'),
    field('Queue', queue, { hint: 'How soon its cases should be answered, for each urgency. Cases sent from now on get the new deadlines; those already sent keep theirs.' }),
    hoursBoxes,
    h('div', { class: 'actions' }, submit, reset),
    resetMessage,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Saving…',
    check() {
      const problems = unfilled(URGENCIES.map((u) => /** @type {const} */ ([hours[u], `Enter within how many hours ${u} cases should be answered.`])));
      for (const u of URGENCIES) {
        const n = Number(hours[u].value);
        const halfHours = Number.isFinite(n) && Number.isInteger(n * 2) && n >= 0.5 && n <= MAX_DEADLINE_HOURS;
        if (hours[u].value.trim() && !halfHours) problems.push([hours[u], `Enter the hours for ${u} cases as a number from 0.5 to ${MAX_DEADLINE_HOURS} (a year), in half hours, e.g. 2 or 2.5.`]);
      }
      return problems;
    },
    fields: { deadlineHours: { el: hoursBoxes, focus: () => hours.urgent.focus() } },
    async send() {
      const { slug, name } = current();
      const body = { deadlineHours: Object.fromEntries(URGENCIES.map((u) => [u, Number(hours[u].value)])) };
      const updated = /** @type {Queue} */ (await api.patch(`/api/v1/queues/${encodeURIComponent(slug)}`, body));
      await saved(slug, `Deadlines of ${name} saved: ${deadlines(updated.deadlineHours)}.`);
    },
  });
  reset.addEventListener('click', () =>
    buttonAction(reset, resetMessage, async () => {
      const { slug, name } = current();
      const updated = /** @type {Queue} */ (await api.patch(`/api/v1/queues/${encodeURIComponent(slug)}`, { deadlineHours: null }));
      await saved(slug, `${name} is back to the default deadlines: ${deadlines(updated.deadlineHours)}.`);
    }, 'Resetting…'),
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
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add queue');
  const form = h(
    'form',
    { class: 'card', id: 'create-queue-form', novalidate: true },
    h('h2', {}, 'New queue'),
    h('div', { class: 'row' }, field('Short name for links', slug, { required: true, hint: 'Lower-case letters, digits and dashes, e.g. hair-nails' }), field('Name', name, { required: true })),
    field('Opinions needed (quorum)', quorum, { required: true }),
    field('Description', description),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Adding…',
    check() {
      const problems = unfilled([
        [slug, 'Enter a short name for links.'],
        [name, 'Enter the queue\'s name.'],
      ]);
      if (slug.value.trim() && !/^[a-z0-9][a-z0-9-]*$/.test(slug.value.trim())) problems.splice(0, 0, [slug, 'The short name may hold lower-case letters, digits and dashes only, starting with a letter or digit.']);
      const n = Number(quorum.value);
      if (!Number.isInteger(n) || n < 1 || n > 10) problems.push([quorum, 'Enter how many opinions are needed, a whole number from 1 to 10.']);
      return problems;
    },
    fields: { slug, name, quorum, description },
    async send() {
      await api.post('/api/v1/queues', { slug: slug.value.trim(), name: name.value.trim(), quorum: Number(quorum.value), description: description.value.trim() });
      await queuesAdminView(main, params, ctx, deadlinesQueue);
      main.prepend(notice('ok', 'Queue added.'));
    },
  });
  mount(
    main,
    pageHeading('Queues'),
    table(
      'Queues',
      ['Name', 'Short name', 'Opinions needed', 'Answer within', 'Open cases', 'Oldest waiting'],
      queues.map((q) =>
        h(
          'tr',
          { dataset: { queue: q.slug } },
          h('td', {}, q.name, q.description ? [h('br'), h('span', { class: 'muted small' }, q.description)] : null),
          h('td', {}, q.slug),
          h('td', {}, String(q.quorum)),
          h('td', { class: 'queue-deadlines' }, deadlines(q.deadlineHours)),
          h('td', {}, String(q.open)),
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
