// The case's place in the teaching collection, for the reviewers of its queue and admins: add an answered case
// the patient consented to teaching for, take it out again, or read why it cannot join.
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { buttonAction } from '../../form.js';
import { formatDate, t } from '../../i18n.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * Null before the panel has answered (nothing to teach yet) and for those who do not curate the collection.
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function teachingSection(c, user, refresh) {
  const answered = (c.status === 'answered' || c.status === 'closed') && c.consensus !== null;
  if (!answered || (user.role !== 'reviewer' && user.role !== 'admin')) return null;
  const messages = h('div', { 'aria-live': 'polite' });
  const url = `/api/v1/cases/${encodeURIComponent(c.id)}/teaching`;
  /**
   * @param {string} id
   * @param {string} label
   * @param {string} busyLabel
   * @param {() => Promise<unknown>} send
   * @param {string} done
   * @param {string} [ariaLabel]
   */
  const action = (id, label, busyLabel, send, done, ariaLabel) => {
    const button = h('button', { type: 'button', class: 'secondary', id, 'aria-label': ariaLabel }, label);
    button.addEventListener('click', () =>
      buttonAction(
        button,
        messages,
        async () => {
          await send();
          await refresh(done);
        },
        busyLabel,
      ),
    );
    return button;
  };

  /** @type {Array<HTMLElement>} */
  const body = [];
  if (c.teaching) {
    body.push(
      h('p', { id: 'teaching-state' }, t('web-teaching.curate.in', { date: formatDate(c.teaching.addedAt, { dateStyle: 'medium' }), name: c.teaching.addedBy.name })),
      h(
        'div',
        { class: 'actions' },
        action('remove-teaching', t('web-teaching.curate.remove'), t('web-teaching.curate.removing'), () => api.del(url), t('web-teaching.curate.removed'), t('web-teaching.curate.removeLabel')),
      ),
    );
  } else if (c.consent?.teaching) {
    body.push(
      h('p', { class: 'muted', id: 'teaching-state' }, t('web-teaching.curate.canAdd')),
      h('div', { class: 'actions' }, action('add-teaching', t('web-teaching.curate.add'), t('web-teaching.curate.adding'), () => api.post(url), t('web-teaching.curate.added'))),
    );
  } else {
    body.push(h('p', { class: 'muted', id: 'teaching-state' }, t('web-teaching.curate.noConsent')));
  }
  return h('section', { class: 'card', id: 'teaching', 'aria-labelledby': 'teaching-h' }, h('h2', { id: 'teaching-h' }, t('web-teaching.curate.heading')), body, messages);
}
