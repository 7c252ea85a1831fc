// The admin's pages: users (create, disable, queues), sites, queues, turnaround statistics, audit search.
import { api, errorMessage } from '../api.js';
import { field, h, mount, notice, select, uid } from '../dom.js';
import { dateTime, minutes, percent } from '../format.js';
import { busy, emptyState, loading, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').SiteBody} SiteBody */
/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').Stats} Stats */
/** @typedef {import('../../../types.js').AuditEvent} AuditEvent */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */

const ROLES = [
  ['clinician', 'Clinician (sends cases)'],
  ['reviewer', 'Reviewer (dermatologist)'],
  ['admin', 'Admin'],
];
const TIERS = [
  ['primary', 'Primary'],
  ['secondary', 'Secondary'],
  ['tertiary', 'Tertiary'],
];

/**
 * @param {string} caption
 * @param {readonly string[]} headers
 * @param {readonly HTMLTableRowElement[]} rows
 * @param {{ id?: string }} [options]
 */
function table(caption, headers, rows, { id } = {}) {
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

/** @param {ParentNode} root */
const checkedValues = (root) => [.../** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll('input[type=checkbox]:checked'))].map((b) => b.value);

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
  const errors = h('div', { class: 'form-errors' });
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
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    /** @type {{ email: string, name: string, role: string, password: string, siteId?: string, queues?: string[] }} */
    const body = { email: email.value.trim(), name: name.value.trim(), role: role.value, password: password.value };
    if (site.value) body.siteId = site.value;
    if (role.value === 'reviewer') body.queues = checkedValues(queueBoxes);
    if (!body.email || !body.name || body.password.length < 12) {
      mount(errors, notice('error', 'Enter an email, a name and a password of at least 12 characters.'));
      return;
    }
    await busy(submit, async () => {
      try {
        await api.post('/api/v1/users', body);
        await usersView(main, _params, ctx);
        main.prepend(notice('ok', `${body.name} can now sign in.`));
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });

  const rowMessage = h('div', { 'aria-live': 'polite' });
  const rows = users.map((u) => {
    const toggle = h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger-button btn-small', dataset: { userId: u.id } }, u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`);
    toggle.addEventListener('click', () =>
      busy(toggle, async () => {
        try {
          await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
          await usersView(main, _params, ctx);
          main.prepend(notice('ok', `${u.name} is ${u.disabled ? 'enabled' : 'disabled'}.`));
        } catch (error) {
          mount(rowMessage, notice('error', errorMessage(error)));
        }
      }),
    );
    /** @type {string | HTMLElement} */
    let queuesCell = (u.queues ?? []).join(', ') || '—';
    if (u.role === 'reviewer') {
      const details = h('details', { class: 'queue-edit' }, h('summary', {}, (u.queues ?? []).join(', ') || 'No queues'));
      const boxes = queueCheckboxes(queues, u.queues ?? [], `queues-${u.id}`);
      const save = h('button', { type: 'submit', class: 'secondary btn-small' }, 'Save queues');
      const qform = h('form', {}, boxes, save);
      qform.addEventListener('submit', async (event) => {
        event.preventDefault();
        await busy(save, async () => {
          try {
            await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { queues: checkedValues(boxes) });
            await usersView(main, _params, ctx);
            main.prepend(notice('ok', `Queues of ${u.name} saved.`));
          } catch (error) {
            mount(rowMessage, notice('error', errorMessage(error)));
          }
        });
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
      h('td', {}, toggle),
    );
  });

  mount(main, pageHeading('Users'), form, rowMessage, table('All users', ['Name', 'Role', 'Site', 'Queues', 'Status', ''], rows, { id: 'users-table' }));
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
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add site');
  const form = h('form', { class: 'card', id: 'create-site-form', novalidate: true }, h('h2', {}, 'New site'), h('div', { class: 'row' }, field('Name', name, { required: true }), field('Hospital tier', tier)), errors, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      mount(errors, notice('error', 'Enter the site name.'));
      return;
    }
    await busy(submit, async () => {
      try {
        await api.post('/api/v1/sites', { name: name.value.trim(), tier: tier.value });
        await sitesView(main, params, ctx);
        main.prepend(notice('ok', 'Site added.'));
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  mount(
    main,
    pageHeading('Sites'),
    form,
    sites.length ? table('Sites', ['Name', 'Tier', 'Added'], sites.map((s) => h('tr', {}, h('td', {}, s.name), h('td', {}, s.tier), h('td', {}, dateTime(s.createdAt)))), { id: 'sites-table' }) : emptyState('No sites yet.'),
  );
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function queuesAdminView(main, params, ctx) {
  const queues = /** @type {Queue[]} */ (await api.get('/api/v1/queues'));
  const slug = h('input', { type: 'text', name: 'slug', autocomplete: 'off', autocapitalize: 'none', pattern: '[a-z0-9][a-z0-9-]*', spellcheck: 'false' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const quorum = h('input', { type: 'number', name: 'quorum', min: '1', max: '10', value: '2', inputmode: 'numeric' });
  const description = h('textarea', { name: 'description', rows: '2', maxlength: '2000' });
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add queue');
  const form = h(
    'form',
    { class: 'card', id: 'create-queue-form', novalidate: true },
    h('h2', {}, 'New queue'),
    h('div', { class: 'row' }, field('Short name for links', slug, { required: true, hint: 'Lower-case letters, digits and dashes, e.g. hair-nails' }), field('Name', name, { required: true })),
    field('Opinions needed (quorum)', quorum, { required: true }),
    field('Description', description),
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(submit, async () => {
      try {
        await api.post('/api/v1/queues', { slug: slug.value.trim(), name: name.value.trim(), quorum: Number(quorum.value || 2), description: description.value.trim() });
        await queuesAdminView(main, params, ctx);
        main.prepend(notice('ok', 'Queue added.'));
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  mount(
    main,
    pageHeading('Queues'),
    table(
      'Queues',
      ['Name', 'Short name', 'Opinions needed', 'Open cases', 'Oldest waiting'],
      queues.map((q) => h('tr', {}, h('td', {}, q.name, q.description ? [h('br'), h('span', { class: 'muted small' }, q.description)] : null), h('td', {}, q.slug), h('td', {}, String(q.quorum)), h('td', {}, String(q.open)), h('td', {}, minutes(q.oldestWaitingMinutes)))),
      { id: 'queues-table' },
    ),
    form,
  );
}

/** @param {Date} d */
function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

/** @param {HTMLElement} main */
export async function statsView(main) {
  const today = new Date();
  const from = h('input', { type: 'date', name: 'from', value: isoDay(new Date(today.getTime() - 30 * 86_400_000)) });
  const to = h('input', { type: 'date', name: 'to', value: isoDay(today) });
  const result = h('div', { id: 'stats-result' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Show');
  const form = h('form', { class: 'card filters', id: 'stats-form' }, h('div', { class: 'row' }, field('From', from), field('To (inclusive)', to)), submit);

  async function load() {
    mount(result, loading());
    try {
      // `to` is the end of the chosen day, so "today" includes today's cases.
      const query = {
        from: from.value ? new Date(`${from.value}T00:00:00`).toISOString() : undefined,
        to: to.value ? new Date(new Date(`${to.value}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined,
      };
      const stats = /** @type {Stats} */ (await api.get('/api/v1/stats', query));
      const rows = (stats.queues ?? []).map((q) =>
        h(
          'tr',
          { dataset: { queue: q.slug } },
          h('th', { scope: 'row' }, q.slug),
          h('td', {}, String(q.cases)),
          h('td', {}, String(q.answered)),
          h('td', {}, String(q.open)),
          h('td', {}, minutes(q.oldestWaitingMinutes)),
          h('td', {}, minutes(q.medianMinutesToFirstOpinion)),
          h('td', {}, minutes(q.p90MinutesToFirstOpinion)),
          h('td', {}, minutes(q.medianMinutesToAnswer)),
          h('td', {}, minutes(q.p90MinutesToAnswer)),
          h('td', {}, percent(q.agreementRate)),
        ),
      );
      mount(
        result,
        table(
          `Turnaround from ${dateTime(stats.from)} to ${dateTime(stats.to)}`,
          ['Queue', 'Cases', 'Answered', 'Open', 'Oldest waiting', 'First opinion (median)', 'First opinion (90%)', 'Answer (median)', 'Answer (90%)', 'Agreement'],
          rows,
          { id: 'stats-table' },
        ),
      );
    } catch (error) {
      mount(result, notice('error', errorMessage(error)));
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  mount(main, pageHeading('Statistics'), form, result);
  await load();
}

/** @param {HTMLElement} main */
export async function auditView(main) {
  const caseId = h('input', { type: 'text', name: 'caseId', autocomplete: 'off', spellcheck: 'false' });
  const actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off', spellcheck: 'false' });
  const users = /** @type {UserBody[]} */ (await api.get('/api/v1/users').catch(() => []));
  /** @type {Map<string, string>} user id -> "name (role)" */
  const names = new Map(users.map((u) => [u.id, `${u.name} (${u.role})`]));
  const actorList = h('datalist', { id: 'audit-actors' }, users.map((u) => h('option', { value: u.id }, `${u.name} · ${u.email}`)));
  actor.setAttribute('list', 'audit-actors');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const result = h('div', { id: 'audit-result' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older events');
  /** @type {string | null} */
  let cursor = null;
  /** @type {HTMLTableSectionElement | null} */
  let tbody = null;

  const form = h(
    'form',
    { class: 'card filters', id: 'audit-form' },
    h('div', { class: 'row' }, field('Case id', caseId), field('User id', actor, { hint: 'Start typing a name' })),
    actorList,
    submit,
  );

  /** @param {AuditEvent} e */
  function row(e) {
    return h(
      'tr',
      {},
      h('td', {}, dateTime(e.at)),
      h('td', {}, e.actorId ? (names.get(e.actorId) ?? e.actorId) : e.actorType),
      h('td', {}, e.action),
      h('td', {}, e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'),
      h('td', {}, e.caseId ?? '—'),
      h('td', { class: 'small' }, e.ip ?? ''),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      cursor = null;
      mount(result, loading());
    }
    try {
      const page = /** @type {import('../../../types.js').Page<AuditEvent>} */ (await api.get('/api/v1/audit', { caseId: caseId.value.trim(), actor: actor.value.trim(), limit: 50, cursor }));
      if (reset) {
        tbody = null;
        if (!page.items.length) {
          mount(result, emptyState('No events match.'));
          more.hidden = true;
          return;
        }
        const t = table('Audit events, newest first', ['When', 'Who', 'What', 'Target', 'Case', 'Address'], [], { id: 'audit-table' });
        tbody = t.querySelector('tbody');
        mount(result, t);
      }
      tbody?.append(...page.items.map(row));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      mount(result, notice('error', errorMessage(error)));
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load(true);
  });
  more.addEventListener('click', () => load(false));
  mount(main, pageHeading('Audit trail'), form, result, more);
  await load(true);
}
