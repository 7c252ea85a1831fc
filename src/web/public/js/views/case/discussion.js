// The discussion between the referrer and the reviewers, and the referrer's added photos.
import { api, errorMessage, upload } from '../../api.js';
import { field, h, mount, notice, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { photoPicker, progressBar } from '../../photo-picker.js';
import { busy } from '../../ui.js';
import { OPEN } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Message} Message */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function discussionSection(c, user, refresh) {
  const messages = [...(c.messages ?? [])].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '5000' });
  const requestInfo = h('input', { type: 'checkbox', name: 'requestInfo', id: uid('request-info') });
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-message' }, 'Send');
  const canWrite = c.status !== 'closed' && user.role !== 'admin';
  const form = h(
    'form',
    { class: 'message-form', id: 'message-form', novalidate: true },
    field(user.role === 'clinician' ? 'Your reply or comment' : 'Message', body, { required: true }),
    user.role === 'reviewer' && OPEN.has(c.status) && c.status !== 'needs_info'
      ? h('div', { class: 'check' }, requestInfo, h('label', { for: requestInfo.id }, 'Ask the referring clinician for more information (the case waits for their answer)'))
      : null,
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    if (!body.value.trim()) {
      mount(errors, notice('error', 'Write a message first.'));
      body.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        /** @type {{ body: string, requestInfo?: boolean }} */
        const payload = { body: body.value.trim() };
        if (requestInfo.checked) payload.requestInfo = true;
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/messages`, payload);
        await refresh(requestInfo.checked ? 'Question sent: the case waits for the referrer.' : 'Message sent.');
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'discussion', 'aria-labelledby': 'discussion-h' },
    h('h2', { id: 'discussion-h' }, 'Discussion'),
    messages.length
      ? h(
          'ol',
          { class: 'messages' },
          messages.map((m) => {
            const mine = m.author?.id === user.id || m.authorId === user.id;
            return h(
              'li',
              { class: ['message', mine ? 'message-mine' : null, m.requestInfo ? 'message-request' : null] },
              h('p', { class: 'message-meta' }, `${mine ? 'You' : (m.author?.name ?? m.authorName ?? 'Someone')}${m.author?.role ? ` (${m.author.role})` : ''} · ${dateTime(m.createdAt)}`, m.requestInfo ? h('span', { class: 'badge badge-needs_info' }, 'Asked for more information') : null),
              h('p', { class: 'message-body prewrap' }, m.body),
            );
          }),
        )
      : h('p', { class: 'muted' }, 'No messages yet.'),
    canWrite ? form : null,
  );
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
export function addPhotosSection(c, refresh) {
  const picker = photoPicker({ legend: 'Add photos', kinds: ['overview', 'closeup', 'dermoscopy', 'followup'], defaultKind: 'closeup' });
  const progress = progressBar('Uploading photos');
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-photos' }, 'Send photos');
  const form = h('form', { class: 'card', id: 'add-photos-form', novalidate: true }, picker.el, progress.el, errors, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    if (!picker.count) {
      mount(errors, notice('error', 'Choose at least one photo.'));
      picker.focus();
      return;
    }
    const data = new FormData();
    picker.appendTo(data);
    submit.disabled = true;
    progress.set(0);
    try {
      await upload(`/api/v1/cases/${encodeURIComponent(c.id)}/photos`, data, (f) => progress.set(f));
      picker.clear();
      await refresh('Photos added.');
    } catch (error) {
      progress.done();
      mount(errors, notice('error', errorMessage(error)));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
