// What a reviewer or an admin does with the case besides an opinion: release, move to another queue, close.
import { api } from '../../api.js';
import { field, h, mount, select } from '../../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../../form.js';
import { navigate } from '../../router.js';
import { flashNext } from '../../ui.js';
import { claimedCases } from '../reviewer.js';
import { OPEN } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').Queue} Queue */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 */
export function reviewerActions(c, user, queues, refresh) {
  const mine = c.opinions.some((o) => o.reviewer.id === user.id);
  if (mine || !OPEN.has(c.status)) return null;
  const messages = h('div', { 'aria-live': 'polite' });
  const release = h('button', { type: 'button', class: 'secondary', id: 'release-case' }, 'Release back to the queue');
  release.addEventListener('click', () =>
    buttonAction(
      release,
      messages,
      async () => {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/release`);
        claimedCases.remove(c.id);
        flashNext('ok', 'The case is back in the queue.');
        navigate('/queues');
      },
      'Releasing…',
    ),
  );
  const reroute = rerouteForm(
    c,
    queues.filter((q) => (user.queues ?? []).includes(q.slug)),
    refresh,
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'review-actions-h' },
    h('h2', { id: 'review-actions-h' }, 'Your review'),
    claimedCases.has(c.id) ? h('p', { class: 'muted' }, 'You have taken this case. Release it if you cannot give an opinion now.') : null,
    h('div', { class: 'actions' }, release),
    messages,
    reroute,
  );
}

/**
 * @param {CaseView} c
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 */
function rerouteForm(c, queues, refresh) {
  const queueSelect = select('queue', [['', 'Choose a queue…'], ...queues.filter((q) => q.slug !== c.queue).map((q) => [q.slug, q.name])], '');
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Move');
  const form = h('form', { class: 'inline-form', id: 'reroute-form', novalidate: true, 'data-keep': true }, field('Move to another queue', queueSelect), submit);
  handleSubmit(form, {
    submit,
    busyLabel: 'Moving…',
    check: () => unfilled([[queueSelect, 'Choose the queue to move the case to.']]),
    fields: { queue: queueSelect },
    async send() {
      await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/reroute`, { queue: queueSelect.value });
      claimedCases.remove(c.id);
      await refresh(`Moved to ${queueSelect.selectedOptions[0]?.textContent ?? queueSelect.value}.`);
    },
  });
  return queueSelect.options.length > 1 ? form : null;
}

/**
 * @param {CaseView} c
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 */
export function adminActions(c, queues, refresh) {
  return h('section', { class: 'card', 'aria-labelledby': 'admin-actions-h' }, h('h2', { id: 'admin-actions-h' }, 'Routing'), rerouteForm(c, queues, refresh));
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
export function closeSection(c, refresh) {
  const messages = h('div', { 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'secondary', id: 'close-case' }, 'Close case');
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  close.addEventListener('click', () => {
    confirmBox.hidden = false;
    close.hidden = true;
    mount(
      confirmBox,
      h('p', {}, c.status === 'answered' ? 'Close this case? It stays readable.' : 'This case has no answer yet. Close it anyway?'),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger-button',
            id: 'confirm-close',
            onclick: async (e) =>
              buttonAction(
                /** @type {HTMLButtonElement} */ (e.currentTarget),
                messages,
                async () => {
                  await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/close`);
                  await refresh('Case closed.');
                },
                'Closing…',
              ),
          },
          'Yes, close it',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              confirmBox.hidden = true;
              close.hidden = false;
              close.focus();
            },
          },
          'Keep it open',
        ),
      ),
    );
    confirmBox.querySelector('button')?.focus();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'close-h' }, h('h2', { id: 'close-h' }, 'Close'), close, confirmBox, messages);
}
