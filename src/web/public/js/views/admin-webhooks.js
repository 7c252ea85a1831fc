// The admin's webhooks: a clinic's own systems told of events by signed POSTs. Add one (its address, the events
// it wants, the secret that signs them), remove one, and read each one's delivery log.
import { api } from '../api.js';
import { field, h, mount, notice, uid } from '../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../form.js';
import { dateTime } from '../format.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { checkboxGroup, checkedValues, table } from './admin.js';

/** @typedef {import('../../../types.js').Webhook} Webhook */
/** @typedef {import('../../../types.js').WebhookDelivery} WebhookDelivery */
/** @typedef {import('../../../types.js').WebhookEvent} WebhookEvent */

/** @type {ReadonlyArray<readonly [WebhookEvent, string]>} */
const EVENTS = [
  ['case.created', 'A case is sent'],
  ['case.updated', 'A case changes status or is answered'],
  ['message.created', 'A message is written on a case'],
  ['photos.added', 'Photos are added to a case'],
  ['case.overdue', 'A case passes its deadline'],
];
const EVENT_LABELS = Object.fromEntries(EVENTS);

/** @type {Readonly<Record<WebhookDelivery['status'], string>>} */
const DELIVERY_STATUS = { pending: 'Trying again', delivered: 'Delivered', failed: 'Given up' };
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
    h('legend', {}, 'Events to send'),
    EVENTS.map(([name, label]) => {
      const box = h('input', { type: 'checkbox', name: 'events', value: name, id: uid('event'), checked: true });
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, label, ' ', h('code', { class: 'small' }, name)));
    }),
  );
  const secret = h('input', { type: 'text', name: 'secret', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', minlength: String(MIN_SECRET), class: 'code-input' });
  const makeSecret = h('button', { type: 'button', class: 'secondary btn-small', onclick: () => (secret.value = randomSecret()) }, 'Make a secret');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add webhook');
  const form = h(
    'form',
    { class: 'card', id: 'create-webhook-form', novalidate: true },
    h('h2', {}, 'New webhook'),
    field('Address (URL)', url, { required: true, hint: 'http:// or https://. An address inside the clinic network is fine.' }),
    events,
    field('Secret', secret, {
      required: true,
      hint: `At least ${MIN_SECRET} characters. Each delivery is signed with it (X-Webhook-Signature); give the same secret to the receiving system. It is not shown again.`,
    }),
    h('div', { class: 'actions' }, makeSecret),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Adding…',
    check() {
      const problems = unfilled([[url, 'Enter the address the events are sent to.']]);
      if (!checkedValues(events).length) problems.push([checkboxGroup(events), 'Choose at least one event to send.']);
      if (secret.value.length < MIN_SECRET) problems.push([secret, `Enter a secret of at least ${MIN_SECRET} characters, or press “Make a secret”.`]);
      return problems;
    },
    fields: { url, events: checkboxGroup(events), secret },
    async send() {
      await api.post('/api/v1/webhooks', { url: url.value.trim(), events: checkedValues(events), secret: secret.value });
      await reload('Webhook added. Events are sent to it from now on.');
    },
  });

  const messages = h('div', { 'aria-live': 'polite' });
  const log = h('section', { class: 'card', id: 'deliveries', 'aria-labelledby': 'deliveries-h', hidden: true });
  const rows = items.map((hook) => {
    const remove = h('button', { type: 'button', class: 'danger-button btn-small' }, 'Delete');
    remove.addEventListener('click', () => {
      if (!window.confirm(`Stop sending events to ${hook.url}? Its delivery log stays.`)) return;
      void buttonAction(remove, messages, async () => {
        await api.del(`/api/v1/webhooks/${encodeURIComponent(hook.id)}`);
        await reload('Webhook deleted: nothing more is sent to it.');
      });
    });
    const show = h('button', { type: 'button', class: 'secondary btn-small' }, 'Delivery log');
    show.addEventListener('click', () => buttonAction(show, messages, () => showDeliveries(log, hook), 'Loading…'));
    return h(
      'tr',
      { dataset: { webhookId: hook.id } },
      h('td', { class: 'webhook-url' }, hook.url),
      h('td', {}, h('ul', { class: 'plain-list' }, hook.events.map((e) => h('li', {}, EVENT_LABELS[e] ?? e)))),
      h('td', {}, dateTime(hook.createdAt)),
      h('td', { class: 'user-actions' }, show, remove),
    );
  });

  mount(
    main,
    pageHeading('Webhooks'),
    h(
      'p',
      { class: 'muted' },
      'A webhook tells one of your clinic’s systems of events as they happen: each is a signed POST, tried again with longer and longer waits for 24 hours until the system answers.',
    ),
    form,
    messages,
    items.length ? table('Webhooks', ['Address', 'Events', 'Added', ''], rows, { id: 'webhooks-table' }) : emptyState('No webhooks yet.'),
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
  mount(log, h('h2', { id: 'deliveries-h' }, 'Delivery log'), loading());
  const { items } = /** @type {{ items: WebhookDelivery[] }} */ (await api.get(`/api/v1/webhooks/${encodeURIComponent(hook.id)}/deliveries`));
  const again = h('button', { type: 'button', class: 'secondary btn-small' }, 'Load again');
  const messages = h('div', { 'aria-live': 'polite' });
  again.addEventListener('click', () => buttonAction(again, messages, () => showDeliveries(log, hook), 'Loading…'));
  const rows = items.map((d) =>
    h(
      'tr',
      { dataset: { deliveryId: d.id, status: d.status } },
      h('td', {}, EVENT_LABELS[d.event] ?? d.event, h('br'), h('span', { class: 'muted small' }, `${d.event} · event ${d.eventId}`)),
      h('td', {}, h('span', { class: ['badge', DELIVERY_BADGE[d.status]] }, DELIVERY_STATUS[d.status])),
      h('td', {}, String(d.attempts)),
      h('td', {}, answerText(d)),
      h('td', {}, dateTime(d.createdAt)),
      h('td', {}, d.lastAttemptAt ? dateTime(d.lastAttemptAt) : '—'),
      h('td', {}, d.deliveredAt ? `Delivered ${dateTime(d.deliveredAt)}` : d.nextAttemptAt ? `Next try ${dateTime(d.nextAttemptAt)}` : '—'),
    ),
  );
  mount(
    log,
    h('div', { class: 'page-head' }, h('h2', { id: 'deliveries-h' }, `Delivery log: ${hook.url}`), again),
    messages,
    rows.length
      ? table(`Deliveries to ${hook.url}, newest first`, ['Event', 'Status', 'Attempts', 'Last answer', 'Created', 'Last attempt', 'Delivered or next try'], rows, { id: 'deliveries-table' })
      : h('p', { class: 'muted' }, 'Nothing has been sent to this webhook yet.'),
  );
  log.scrollIntoView({ block: 'start' });
}

/**
 * What the receiver answered on the last attempt: its HTTP status and how long it took, or why it failed.
 * @param {WebhookDelivery} d
 */
function answerText(d) {
  if (d.attempts === 0) return 'Not tried yet';
  const took = d.durationMs === null ? '' : ` in ${d.durationMs} ms`;
  if (d.responseStatus !== null) return `HTTP ${d.responseStatus}${took}${d.error ? ` · ${d.error}` : ''}`;
  return d.error ?? 'No answer';
}
