// The admin's webhooks: a clinic's own systems told of events by signed POSTs. Add one (its address, the events
// it wants, the secret that signs them), remove one, and read each one's delivery log.
import { api } from '../api.js';
import { field, h, mount, notice, uid } from '../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../form.js';
import { dateTime } from '../format.js';
import { formatNumber, t } from '../i18n.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { checkboxGroup, checkedValues, table } from './admin.js';

/** @typedef {import('../../../types.js').Webhook} Webhook */
/** @typedef {import('../../../types.js').WebhookDelivery} WebhookDelivery */
/** @typedef {import('../../../types.js').WebhookEvent} WebhookEvent */

/** @type {readonly WebhookEvent[]} */
const EVENTS = ['case.created', 'case.updated', 'message.created', 'photos.added', 'case.overdue'];
/** What an event means, in the reader's language (an event this page does not know by its name). */
const eventLabel = (/** @type {string} */ event) => t('web-admin.webhooks.event', { kind: event.replace('.', '_'), event });
const DELIVERY_BADGE = { pending: 'badge-needs_info', delivered: 'badge-answered', failed: 'badge-closed' };

const MIN_SECRET = 16;

/** A secret nobody could guess: 32 random bytes as hex. */
function randomSecret() {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {import('../../../types.js').ViewContext} ctx
 */
export async function webhooksView(main, params, ctx) {
  const { items } = /** @type {{ items: Webhook[] }} */ (await api.get('/api/v1/webhooks'));
  /** @param {string} message */
  const reload = async (message) => {
    await webhooksView(main, params, ctx);
    main.prepend(notice('ok', message));
  };

  const url = h('input', { type: 'url', name: 'url', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', placeholder: 'https://records.clinic.example/hooks/consult' });
  const events = h(
    'fieldset',
    { class: 'checks', id: 'webhook-events' },
    h('legend', {}, t('web-admin.webhooks.events-to-send')),
    EVENTS.map((name) => {
      const box = h('input', { type: 'checkbox', name: 'events', value: name, id: uid('event'), checked: true });
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, eventLabel(name), ' ', h('code', { class: 'small' }, name)));
    }),
  );
  const secret = h('input', { type: 'text', name: 'secret', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', minlength: String(MIN_SECRET), class: 'code-input' });
  const makeSecret = h('button', { type: 'button', class: 'secondary btn-small', onclick: () => (secret.value = randomSecret()) }, t('web-admin.webhooks.make-secret'));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.webhooks.add'));
  const form = h(
    'form',
    { class: 'card', id: 'create-webhook-form', novalidate: true },
    h('h2', {}, t('web-admin.webhooks.new')),
    field(t('web-admin.webhooks.url'), url, { required: true, hint: t('web-admin.webhooks.url-hint') }),
    events,
    field(t('web-admin.webhooks.secret'), secret, { required: true, hint: t('web-admin.webhooks.secret-hint', { min: MIN_SECRET }) }),
    h('div', { class: 'actions' }, makeSecret),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.adding'),
    check() {
      const problems = unfilled([[url, t('web-admin.webhooks.enter-url')]]);
      if (!checkedValues(events).length) problems.push([checkboxGroup(events), t('web-admin.webhooks.choose-event')]);
      if (secret.value.length < MIN_SECRET) problems.push([secret, t('web-admin.webhooks.enter-secret', { min: MIN_SECRET })]);
      return problems;
    },
    fields: { url, events: checkboxGroup(events), secret },
    async send() {
      await api.post('/api/v1/webhooks', { url: url.value.trim(), events: checkedValues(events), secret: secret.value });
      await reload(t('web-admin.webhooks.added'));
    },
  });

  const messages = h('div', { 'aria-live': 'polite' });
  const log = h('section', { class: 'card', id: 'deliveries', 'aria-labelledby': 'deliveries-h', hidden: true });
  const rows = items.map((hook) => {
    const remove = h('button', { type: 'button', class: 'danger-button btn-small' }, t('web-admin.webhooks.delete'));
    remove.addEventListener('click', () => {
      if (!window.confirm(t('web-admin.webhooks.delete-confirm', { url: hook.url }))) return;
      void buttonAction(remove, messages, async () => {
        await api.del(`/api/v1/webhooks/${encodeURIComponent(hook.id)}`);
        await reload(t('web-admin.webhooks.deleted'));
      });
    });
    const show = h('button', { type: 'button', class: 'secondary btn-small' }, t('web-admin.webhooks.log'));
    show.addEventListener('click', () => buttonAction(show, messages, () => showDeliveries(log, hook), t('web-admin.loading')));
    return h(
      'tr',
      { dataset: { webhookId: hook.id } },
      h('td', { class: 'webhook-url' }, hook.url),
      h('td', {}, h('ul', { class: 'plain-list' }, hook.events.map((e) => h('li', {}, eventLabel(e))))),
      h('td', {}, dateTime(hook.createdAt)),
      h('td', { class: 'user-actions' }, show, remove),
    );
  });

  mount(
    main,
    pageHeading(t('web-admin.webhooks.heading')),
    h('p', { class: 'muted' }, t('web-admin.webhooks.intro')),
    form,
    messages,
    items.length
      ? table(t('web-admin.webhooks.heading'), [t('web-admin.webhooks.address'), t('web-admin.webhooks.events'), t('web-admin.added'), ''], rows, { id: 'webhooks-table' })
      : emptyState(t('web-admin.webhooks.none')),
    log,
  );
}

/**
 * A webhook's delivery log, newest first, in the section below the list.
 * @param {HTMLElement} log
 * @param {Webhook} hook
 */
async function showDeliveries(log, hook) {
  log.hidden = false;
  mount(log, h('h2', { id: 'deliveries-h' }, t('web-admin.webhooks.log')), loading());
  const { items } = /** @type {{ items: WebhookDelivery[] }} */ (await api.get(`/api/v1/webhooks/${encodeURIComponent(hook.id)}/deliveries`));
  const again = h('button', { type: 'button', class: 'secondary btn-small' }, t('web-admin.webhooks.load-again'));
  const messages = h('div', { 'aria-live': 'polite' });
  again.addEventListener('click', () => buttonAction(again, messages, () => showDeliveries(log, hook), t('web-admin.loading')));
  const rows = items.map((d) =>
    h(
      'tr',
      { dataset: { deliveryId: d.id, status: d.status } },
      h('td', {}, eventLabel(d.event), h('br'), h('span', { class: 'muted small' }, t('web-admin.webhooks.event-id', { event: d.event, id: String(d.eventId) }))),
      h('td', {}, h('span', { class: ['badge', DELIVERY_BADGE[d.status]] }, t('web-admin.webhooks.status', { status: d.status }))),
      h('td', {}, formatNumber(d.attempts)),
      h('td', {}, answerText(d)),
      h('td', {}, dateTime(d.createdAt)),
      h('td', {}, d.lastAttemptAt ? dateTime(d.lastAttemptAt) : '—'),
      h('td', {}, d.deliveredAt ? t('web-admin.webhooks.delivered-at', { time: dateTime(d.deliveredAt) }) : d.nextAttemptAt ? t('web-admin.webhooks.next-try', { time: dateTime(d.nextAttemptAt) }) : '—'),
    ),
  );
  mount(
    log,
    h('div', { class: 'page-head' }, h('h2', { id: 'deliveries-h' }, t('web-admin.webhooks.log-of', { url: hook.url })), again),
    messages,
    rows.length
      ? table(
          t('web-admin.webhooks.deliveries', { url: hook.url }),
          ['event-column', 'status-column', 'attempts', 'last-answer', 'created', 'last-attempt', 'delivered-or-next'].map((key) => t(`web-admin.webhooks.${key}`)),
          rows,
          { id: 'deliveries-table' },
        )
      : h('p', { class: 'muted' }, t('web-admin.webhooks.nothing-sent')),
  );
  log.scrollIntoView({ block: 'start' });
}

/**
 * What the receiver answered on the last attempt: its HTTP status and how long it took, or why it failed.
 * @param {WebhookDelivery} d
 */
function answerText(d) {
  if (d.attempts === 0) return t('web-admin.webhooks.not-tried');
  const took = d.durationMs === null ? '' : t('web-admin.webhooks.took', { ms: d.durationMs });
  if (d.responseStatus !== null) return `HTTP ${d.responseStatus}${took}${d.error ? ` · ${d.error}` : ''}`;
  return d.error ?? t('web-admin.webhooks.no-answer');
}
