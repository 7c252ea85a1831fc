// The admin's audit trail: search by person, action, dates or case; the events name people and cases;
// "Export CSV" downloads everything the same filters select (GET /api/v1/audit.csv).
import { api, download, errorMessage } from '../api.js';
import { field, h, mount, notice } from '../dom.js';
import { buttonAction, handleSubmit } from '../form.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';
import { currentQuery } from '../router.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { table } from './admin.js';

/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').AuditEvent} AuditEvent */

/** The actions the service records; the field takes any other too (newer versions add some). */
const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_reset',
  'user.create',
  'user.update',
  'user.password_change',
  'user.password_reset_issue',
  'site.create',
  'site.update',
  'queue.create',
  'case.create',
  'case.read',
  'case.read_report',
  'case.read_fhir',
  'case.list',
  'case.claim',
  'case.release',
  'case.claim_lapsed',
  'case.opinion',
  'case.message',
  'case.status',
  'case.reroute',
  'case.close',
  'case.photos_add',
  'case.followup_photos_add',
  'photo.read',
  'photo.read_thumb',
  'photo.read_display',
  'follow_up_link.create',
  'follow_up_link.open',
  'follow_up_link.revoke',
  'stats.read',
  'audit.export',
];


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
  const actionList = h('datalist', { id: 'audit-actions' }, KNOWN_ACTIONS.map((value) => h('option', { value }, t(`web-admin.audit.action.${value}`))));
  const from = h('input', { type: 'date', name: 'from', value: initial.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: initial.get('to') ?? '' });
  const caseId = h('input', { type: 'text', name: 'caseId', autocomplete: 'off', spellcheck: 'false', value: initial.get('caseId') ?? '' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.audit.search'));
  const exportButton = h('button', { type: 'button', class: 'secondary', id: 'audit-export' }, t('web-admin.audit.export'));
  const exportStatus = h('div', { 'aria-live': 'polite' });
  const result = h('div', { id: 'audit-result' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('web-admin.audit.more'));
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
      field(t('web-admin.audit.person'), person, { hint: t('web-admin.audit.person-hint') }),
      field(t('web-admin.audit.action'), action, { hint: t('web-admin.audit.action-hint') }),
      field(t('web-admin.filters.from'), from),
      field(t('web-admin.filters.to'), to),
      field(t('web-admin.audit.case-id'), caseId),
    ),
    actionList,
    h('div', { class: 'actions' }, submit, exportButton),
    h('p', { class: 'hint' }, t('web-admin.audit.export-hint', { limit: 50_000 })),
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
    if (e.actorType === 'user') return e.actorId ?? t('web-admin.audit.deleted-user');
    return t('web-admin.audit.actor', { actor: e.actorType });
  }

  /** @param {AuditEvent} e */
  function target(e) {
    if (!e.targetType) return '—';
    if (e.targetType === 'user' && e.targetId && userNames.has(e.targetId)) return t('web-admin.audit.target-user', { name: userNames.get(e.targetId) ?? '' });
    return t('web-admin.audit.target', { type: e.targetType });
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
      h('td', {}, e.caseId ? h('a', { href: `#/cases/${encodeURIComponent(e.caseId)}` }, e.caseRef ?? t('web-admin.audit.case')) : '—'),
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
          mount(result, emptyState(t('web-admin.audit.none')));
          more.hidden = true;
          return;
        }
        const events = table(
          t('web-admin.audit.table'),
          ['when', 'who', 'what', 'target-column', 'case', 'address'].map((key) => t(`web-admin.audit.${key}`)),
          [],
          { id: 'audit-table' },
        );
        tbody = events.querySelector('tbody');
        mount(result, events);
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
    busyLabel: t('web-admin.audit.searching'),
    check: () => (from.value && to.value && from.value > to.value ? [[from, t('web-admin.filters.day-order')]] : []),
    fields: { q: person, action, from, to, caseId },
    send: () => load(true),
  });
  more.addEventListener('click', () => buttonAction(more, moreStatus, () => load(false)));
  exportButton.addEventListener('click', () =>
    buttonAction(exportButton, exportStatus, async () => {
      mount(exportStatus, h('p', { class: 'muted', role: 'status' }, t('web-admin.audit.preparing')));
      const params = new URLSearchParams(Object.entries(filters()).filter(/** @returns {entry is [string, string]} */ (entry) => entry[1] !== undefined));
      const { name, headers } = await download(`/api/v1/audit.csv?${params}`, 'audit.csv');
      const truncated = headers.get('x-export-truncated') === 'true';
      mount(exportStatus, truncated ? notice('error', t('web-admin.audit.truncated', { name, limit: 50_000 })) : notice('ok', t('web-admin.audit.downloaded', { name })));
    }),
  );
  mount(main, pageHeading(t('web-admin.audit.heading')), form, result, more, moreStatus);
  await load(true).catch((error) => mount(result, notice('error', errorMessage(error))));
}
