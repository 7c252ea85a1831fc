// The discussion between the referrer and the reviewers (and the notes a patient or parent sent with
// follow-up photos), and the referrer's one reply form: text and photos together, sent as one request so
// that a case waiting for information goes back to the queue once, when the whole reply is in.
import { api, upload } from '../../api.js';
import { field, h, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { handleSubmit } from '../../form.js';
import { photoPicker, progressBar } from '../../photo-picker.js';
import { OPEN } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Message} Message */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * Whether the case waits for this user's reply: the referrer of a case a reviewer asked about. The page
 * puts the discussion first then.
 * @param {CaseView} c
 * @param {SessionUser} user
 */
export function awaitsReply(c, user) {
  return c.status === 'needs_info' && c.referrer.id === user.id;
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function discussionSection(c, user, refresh) {
  const messages = [...c.messages].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const isReferrer = c.referrer.id === user.id;
  const canWrite = c.status !== 'closed' && user.role !== 'admin';
  const thread = messages.length
    ? h('ol', { class: 'messages' }, messages.map((m) => messageItem(m, c, user)))
    : h('p', { class: 'muted' }, 'No messages yet.');
  const form = !canWrite ? null : isReferrer ? replyForm(c, refresh) : messageForm(c, user, refresh);
  const question = awaitsReply(c, user) ? [...messages].reverse().find((m) => m.requestInfo) : undefined;
  return h(
    'section',
    { class: ['card', question ? 'discussion-awaits-reply' : null], id: 'discussion', 'aria-labelledby': 'discussion-h' },
    h('h2', { id: 'discussion-h' }, question ? 'A question for you from a specialist' : 'Discussion'),
    // Waiting for the referrer: the question, then the reply form, then the rest of the thread.
    question
      ? [
          h('figure', { class: 'asked-question' }, h('blockquote', { class: 'prewrap' }, question.body), h('figcaption', {}, `${writer(question, c, user)} · ${dateTime(question.createdAt)}`)),
          form,
          h('h3', {}, 'Discussion'),
          thread,
        ]
      : [thread, form],
  );
}

/**
 * @param {Message} m
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function messageItem(m, c, user) {
  const mine = m.author?.id === user.id;
  return h(
    'li',
    { class: ['message', mine ? 'message-mine' : null, m.requestInfo ? 'message-request' : null, m.authorType === 'link' ? 'message-link' : null], dataset: { authorType: m.authorType } },
    h('p', { class: 'message-meta' }, `${writer(m, c, user)} · ${dateTime(m.createdAt)}`, m.requestInfo ? h('span', { class: 'badge badge-needs_info' }, 'Asked for more information') : null),
    h('p', { class: 'message-body prewrap' }, m.body),
  );
}

/**
 * Who wrote a message, as this reader sees it.
 * @param {Message} m
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function writer(m, c, user) {
  // A note sent with follow-up photos: its author is whoever held the link, not a user.
  if (m.authorType === 'link' || !m.author) return 'Patient or parent (follow-up link)';
  if (m.author.id === user.id) return 'You';
  return `${m.author.name} (${m.author.id === c.referrer.id ? 'referring clinician' : 'specialist'})`;
}

/**
 * The referrer's reply: text, photos, or both, in one request. With photos it is one multipart POST to
 * /photos carrying the text as `message`; text alone goes to /messages.
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function replyForm(c, refresh) {
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '5000' });
  const picker = photoPicker({ legend: 'Photos (optional)', kinds: ['overview', 'closeup', 'dermoscopy', 'followup'], defaultKind: 'closeup' });
  const progress = progressBar('Uploading photos');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-reply' }, 'Send');
  const form = h(
    'form',
    { class: 'message-form reply-form', id: 'reply-form', novalidate: true, 'data-keep': true },
    field('Your reply or comment', body, { hint: c.status === 'needs_info' ? 'Answer the question, add photos, or both: the case goes back to the specialists once everything is sent.' : undefined }),
    picker.el,
    progress.el,
    submit,
  );
  const path = `/api/v1/cases/${encodeURIComponent(c.id)}`;
  handleSubmit(form, {
    submit,
    busyLabel: 'Sending…',
    check: () => (body.value.trim() || picker.count ? [] : [[body, 'Write a reply or add photos.']]),
    fields: { body, message: body, photos: picker, kinds: picker },
    async send() {
      const text = body.value.trim();
      if (!picker.count) {
        await api.post(`${path}/messages`, { body: text });
        await refresh('Message sent.');
        return;
      }
      const data = new FormData();
      // The text first, so the server has it before the photos stream in.
      if (text) data.append('message', text);
      picker.appendTo(data);
      progress.set(0);
      await upload(`${path}/photos`, data, (fraction) => progress.set(fraction));
      const photos = picker.count === 1 ? '1 photo' : `${picker.count} photos`;
      picker.clear();
      await refresh(text ? `Reply and ${photos} sent.` : 'Photos added.');
    },
    failed: () => progress.done(),
  });
  return form;
}

/**
 * A reviewer's message, which may ask the referrer for more information.
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
function messageForm(c, user, refresh) {
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '5000' });
  const requestInfo = h('input', { type: 'checkbox', name: 'requestInfo', id: uid('request-info') });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-message' }, 'Send');
  const form = h(
    'form',
    { class: 'message-form', id: 'message-form', novalidate: true, 'data-keep': true },
    field('Message', body, { required: true }),
    user.role === 'reviewer' && OPEN.has(c.status) && c.status !== 'needs_info'
      ? h('div', { class: 'check' }, requestInfo, h('label', { for: requestInfo.id }, 'Ask the referring clinician for more information (the case waits for their answer)'))
      : null,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Sending…',
    check: () => (body.value.trim() ? [] : [[body, 'Write a message first.']]),
    fields: { body },
    async send() {
      /** @type {{ body: string, requestInfo?: boolean }} */
      const payload = { body: body.value.trim() };
      if (requestInfo.checked) payload.requestInfo = true;
      await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/messages`, payload);
      await refresh(requestInfo.checked ? 'Question sent: the case waits for the referrer.' : 'Message sent.');
    },
  });
  return form;
}
