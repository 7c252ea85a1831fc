// The admin's audit trail: search by person, action, dates or case; the events name people and cases;
// "Export CSV" downloads everything the same filters select (GET /api/v1/audit.csv).
import { api, download, errorMessage } from '../api.js';
import { field, h, mount, notice } from '../dom.js';
import { buttonAction, handleSubmit } from '../form.js';
import { dateTime } from '../format.js';
import { currentQuery } from '../router.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { table } from './admin.js';

/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').AuditEvent} AuditEvent */

/** The actions the service records; the field takes any other too (newer versions add some). */
const KNOWN_ACTIONS = [
  ['auth.login', 'Signed in'],
  ['auth.login_failed', 'Sign-in refused'],
  ['auth.logout', 'Signed out'],
  ['auth.password_reset', 'Password reset by link'],
  ['user.create', 'User created'],
  ['user.update', 'User changed'],
  ['user.password_change', 'Password changed'],
  ['user.password_reset_issue', 'Password reset link made'],
  ['site.create', 'Site added'],
  ['site.update', 'Site changed'],
  ['queue.create', 'Queue added'],
  ['case.create', 'Case sent'],
  ['case.read', 'Case opened'],
  ['case.read_report', 'Consult report printed'],
  ['case.read_fhir', 'Case read as FHIR'],
  ['case.list', 'Cases listed'],
  ['case.claim', 'Case claimed'],
  ['case.release', 'Case released'],
  ['case.claim_lapsed', 'Claim lapsed'],
  ['case.opinion', 'Opinion given'],
  ['case.message', 'Message'],
  ['case.status', 'Status changed'],
  ['case.reroute', 'Case moved to another queue'],
  ['case.close', 'Case closed'],
  ['case.photos_add', 'Photos added'],
  ['case.followup_photos_add', 'Follow-up photos added'],
  ['photo.read', 'Photo viewed'],
  ['photo.read_thumb', 'Thumbnail viewed'],
  ['photo.read_display', 'Screen-size photo viewed'],
  ['follow_up_link.create', 'Follow-up link made'],
  ['follow_up_link.open', 'Follow-up link opened'],
  ['follow_up_link.revoke', 'Follow-up link revoked'],
  ['stats.read', 'Statistics read'],
  ['audit.export', 'Audit trail exported'],
];

/** @type {Readonly<Record<string, string>>} who acted, when it was not a user */
const ACTOR_LABELS = { system: 'The service', link: 'Patient (follow-up link)', anonymous: 'Not signed in' };

/**
 * The start of a day in the browser's time zone, as the API's ISO time; `nextDay` for the end of an
 * inclusive "to" date.
 * @param {string} day yyyy-mm-dd, or '' for none
 * @param {boolean} [nextDay]
 */
function dayStart(day, nextDay = false) {
  if (!day) return undefined;
  const start = new Date(`${day}T00:00:00`);
  if (nextDay) start.setDate(start.getDate() + 1);
  return start.toISOString();
}

/** @param {HTMLElement} main */
export async function auditView(main) {
  const initial = currentQuery();
  const person = h('input', { type: 'text', name: 'q', autocomplete: 'off', spellcheck: 'false', value: initial.get('q') ?? '' });
  const action = h('input', { type: 'text', name: 'action', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', list: 'audit-actions', value: initial.get('action') ?? '' });
  const actionList = h('datalist', { id: 'audit-actions' }, KNOWN_ACTIONS.map(([value, label]) => h('option', { value }, label)));
  const from = h('input', { type: 'date', name: 'from', value: initial.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: initial.get('to') ?? '' });
  const caseId = h('input', { type: 'text', name: 'caseId', autocomplete: 'off', spellcheck: 'false', value: initial.get('caseId') ?? '' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const exportButton = h('button', { type: 'button', class: 'secondary', id: 'audit-export' }, 'Export CSV');
  const exportStatus = h('div', { 'aria-live': 'polite' });
  const result = h('div', { id: 'audit-result' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older events');
  const moreStatus = h('div', { 'aria-live': 'polite' });
  // Names for the users an event is about (its target); the actor's name comes with the event.
  const users = /** @type {UserBody[]} */ (await api.get('/api/v1/users').catch(() => []));
  /** @type {Map<string, string>} */
  const userNames = new Map(users.map((u) => [u.id, u.name]));
  /** @type {string | null} */
  let cursor = null;
  /** @type {HTMLTableSectionElement | null} */
  let tbody = null;

  const form = h(
    'form',
    { class: 'card filters audit-filters', id: 'audit-form', role: 'search' },
    h(
      'div',
      { class: 'audit-fields' },
      field('Person', person, { hint: 'Part of a name or email' }),
      field('Action', action, { hint: 'Pick one or type it, e.g. case.read' }),
      field('From', from),
      field('To (inclusive)', to),
      field('Case id', caseId),
    ),
    actionList,
    h('div', { class: 'actions' }, submit, exportButton),
    h('p', { class: 'hint' }, 'Export CSV downloads every event these filters select (up to 50,000, newest first), not only the ones shown.'),
    exportStatus,
  );

  /** The filters as the API takes them; empty ones left out. */
  function filters() {
    /** @type {Record<string, string | undefined>} */
    const query = {
      q: person.value.trim() || undefined,
      action: action.value.trim() || undefined,
      from: dayStart(from.value),
      to: dayStart(to.value, true),
      caseId: caseId.value.trim() || undefined,
    };
    return query;
  }

  /** @param {AuditEvent} e */
  function who(e) {
    if (e.actorName !== null) return [e.actorName, h('br'), h('span', { class: 'muted small' }, e.actorEmail ?? '')];
    if (e.actorType === 'user') return e.actorId ?? 'A deleted user';
    return ACTOR_LABELS[e.actorType] ?? e.actorType;
  }

  /** @param {AuditEvent} e */
  function target(e) {
    if (!e.targetType) return '—';
    if (e.targetType === 'user' && e.targetId && userNames.has(e.targetId)) return `user ${userNames.get(e.targetId)}`;
    if (e.targetType === 'case') return 'case';
    return e.targetType;
  }

  /** @param {AuditEvent} e */
  function row(e) {
    return h(
      'tr',
      { dataset: { eventId: e.id } },
      h('td', { class: 'nowrap' }, dateTime(e.at)),
      h('td', {}, who(e)),
      h('td', {}, h('code', {}, e.action)),
      h('td', {}, target(e)),
      h('td', {}, e.caseId ? h('a', { href: `#/cases/${encodeURIComponent(e.caseId)}` }, e.caseRef ?? 'Case') : '—'),
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
      const page = /** @type {import('../../../types.js').Page<AuditEvent>} */ (await api.get('/api/v1/audit', { ...filters(), limit: 50, cursor }));
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
      more.hidden = true;
      if (reset) result.replaceChildren();
      throw error;
    }
  }

  handleSubmit(form, {
    submit,
    busyLabel: 'Searching…',
    check: () => (from.value && to.value && from.value > to.value ? [[from, 'The first day must not be after the last.']] : []),
    fields: { q: person, action, from, to, caseId },
    send: () => load(true),
  });
  more.addEventListener('click', () => buttonAction(more, moreStatus, () => load(false)));
  exportButton.addEventListener('click', () =>
    buttonAction(exportButton, exportStatus, async () => {
      mount(exportStatus, h('p', { class: 'muted', role: 'status' }, 'Preparing the file…'));
      const params = new URLSearchParams(Object.entries(filters()).filter(/** @returns {entry is [string, string]} */ (entry) => entry[1] !== undefined));
      const { name, headers } = await download(`/api/v1/audit.csv?${params}`, 'audit.csv');
      const truncated = headers.get('x-export-truncated') === 'true';
      mount(exportStatus, truncated ? notice('error', `${name}: only the newest 50,000 events are in the file. Choose a shorter period to export the rest.`) : notice('ok', `${name} downloaded.`));
    }),
  );
  mount(main, pageHeading('Audit trail'), form, result, more, moreStatus);
  await load(true).catch((error) => mount(result, notice('error', errorMessage(error))));
}
