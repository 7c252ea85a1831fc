// What a reviewer or an admin does with the case besides an opinion: release, move to another queue, close.
import { api } from '../../api.js';
import { field, h, mount, select } from '../../dom.js';
import { buttonAction, handleSubmit, unfilled } from '../../form.js';
import { navigate } from '../../router.js';
import { flashNext } from '../../ui.js';
import { claimedCases } from '../reviewer.js';
import { OPEN } from './shared.js';
import { t } from '../../i18n.js';

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
  const release = h('button', { type: 'button', class: 'secondary', id: 'release-case' }, t('web-review.actions.release'));
  release.addEventListener('click', () =>
    buttonAction(
      release,
      messages,
      async () => {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/release`);
        claimedCases.remove(c.id);
        flashNext('ok', t('web-review.actions.released'));
        navigate('/queues');
      },
      t('web-review.actions.releasing'),
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
    h('h2', { id: 'review-actions-h' }, t('web-review.actions.heading')),
    claimedCases.has(c.id) ? h('p', { class: 'muted' }, t('web-review.actions.taken')) : null,
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
  const queueSelect = select('queue', [['', t('web-review.reroute.choose')], ...queues.filter((q) => q.slug !== c.queue).map((q) => [q.slug, q.name])], '');
  const submit = h('button', { type: 'submit', class: 'secondary' }, t('web-review.reroute.submit'));
  const form = h('form', { class: 'inline-form', id: 'reroute-form', novalidate: true, 'data-keep': true }, field(t('web-review.reroute.label'), queueSelect), submit);
  handleSubmit(form, {
    submit,
    busyLabel: t('web-review.reroute.moving'),
    check: () => unfilled([[queueSelect, t('web-review.reroute.missing')]]),
    fields: { queue: queueSelect },
    async send() {
      await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/reroute`, { queue: queueSelect.value });
      claimedCases.remove(c.id);
      await refresh(t('web-review.reroute.moved', { queue: queueSelect.selectedOptions[0]?.textContent ?? queueSelect.value }));
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
  return h('section', { class: 'card', 'aria-labelledby': 'admin-actions-h' }, h('h2', { id: 'admin-actions-h' }, t('web-review.reroute.heading')), rerouteForm(c, queues, refresh));
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
export function closeSection(c, refresh) {
  const messages = h('div', { 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'secondary', id: 'close-case' }, t('web-review.close.button'));
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  close.addEventListener('click', () => {
    confirmBox.hidden = false;
    close.hidden = true;
    mount(
      confirmBox,
      h('p', {}, t(c.status === 'answered' ? 'web-review.close.confirmAnswered' : 'web-review.close.confirmUnanswered')),
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
                  await refresh(t('web-review.close.closed'));
                },
                t('web-review.close.closing'),
              ),
          },
          t('web-review.close.yes'),
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
          t('web-review.close.keepOpen'),
        ),
      ),
    );
    confirmBox.querySelector('button')?.focus();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'close-h' }, h('h2', { id: 'close-h' }, t('web-review.close.heading')), close, confirmBox, messages);
}
