// The discussion between the referrer and the reviewers (and the notes a patient or parent sent with
// follow-up photos), and the referrer's one reply form: text and photos together, sent as one request so
// that a case waiting for information goes back to the queue once, when the whole reply is in.
import { api, upload } from '../../api.js';
import { field, h, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { handleSubmit } from '../../form.js';
import { photoPicker, progressBar } from '../../photo-picker.js';
import { OPEN } from './shared.js';
import { t } from '../../i18n.js';

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
    : h('p', { class: 'muted' }, t('web-review.discussion.none'));
  const form = !canWrite ? null : isReferrer ? replyForm(c, refresh) : messageForm(c, user, refresh);
  const question = awaitsReply(c, user) ? [...messages].reverse().find((m) => m.requestInfo) : undefined;
  return h(
    'section',
    { class: ['card', question ? 'discussion-awaits-reply' : null], id: 'discussion', 'aria-labelledby': 'discussion-h' },
    h('h2', { id: 'discussion-h' }, t(question ? 'web-review.discussion.questionForYou' : 'web-review.discussion.heading')),
    // Waiting for the referrer: the question, then the reply form, then the rest of the thread.
    question
      ? [
          h('figure', { class: 'asked-question' }, h('blockquote', { class: 'prewrap' }, question.body), h('figcaption', {}, `${writer(question, c, user)} · ${dateTime(question.createdAt)}`)),
          form,
          h('h3', {}, t('web-review.discussion.heading')),
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
    h('p', { class: 'message-meta' }, `${writer(m, c, user)} · ${dateTime(m.createdAt)}`, m.requestInfo ? h('span', { class: 'badge badge-needs_info' }, t('web-review.discussion.askedForInformation')) : null),
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
  if (m.authorType === 'link' || !m.author) return t('web-case.history.link');
  if (m.author.id === user.id) return t('web-review.you');
  return t('web-review.discussion.writer', { name: m.author.name, role: m.author.id === c.referrer.id ? 'referrer' : 'specialist' });
}

/**
 * The referrer's reply: text, photos, or both, in one request. With photos it is one multipart POST to
 * /photos carrying the text as `message`; text alone goes to /messages.
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function replyForm(c, refresh) {
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '5000' });
  const picker = photoPicker({ legend: t('web-review.reply.photos'), kinds: ['overview', 'closeup', 'dermoscopy', 'followup'], defaultKind: 'closeup' });
  const progress = progressBar(t('web-review.reply.uploading'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-reply' }, t('web-review.send'));
  const form = h(
    'form',
    { class: 'message-form reply-form', id: 'reply-form', novalidate: true, 'data-keep': true },
    field(t('web-review.reply.label'), body, { hint: c.status === 'needs_info' ? t('web-review.reply.hintNeedsInfo') : undefined }),
    picker.el,
    progress.el,
    submit,
  );
  const path = `/api/v1/cases/${encodeURIComponent(c.id)}`;
  handleSubmit(form, {
    submit,
    busyLabel: t('web-review.sending'),
    check: () => (body.value.trim() || picker.count ? [] : [[body, t('web-review.reply.missing')]]),
    fields: { body, message: body, photos: picker, kinds: picker },
    async send() {
      const text = body.value.trim();
      if (!picker.count) {
        await api.post(`${path}/messages`, { body: text });
        await refresh(t('web-review.discussion.sent'));
        return;
      }
      const data = new FormData();
      // The text first, so the server has it before the photos stream in.
      if (text) data.append('message', text);
      picker.appendTo(data);
      progress.set(0);
      await upload(`${path}/photos`, data, (fraction) => progress.set(fraction));
      const count = picker.count;
      picker.clear();
      await refresh(text ? t('web-review.reply.sentWithPhotos', { count }) : t('web-review.reply.photosAdded'));
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
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-message' }, t('web-review.send'));
  const form = h(
    'form',
    { class: 'message-form', id: 'message-form', novalidate: true, 'data-keep': true },
    field(t('web-review.message.label'), body, { required: true }),
    user.role === 'reviewer' && OPEN.has(c.status) && c.status !== 'needs_info'
      ? h('div', { class: 'check' }, requestInfo, h('label', { for: requestInfo.id }, t('web-review.message.requestInfo')))
      : null,
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-review.sending'),
    check: () => (body.value.trim() ? [] : [[body, t('web-review.message.missing')]]),
    fields: { body },
    async send() {
      /** @type {{ body: string, requestInfo?: boolean }} */
      const payload = { body: body.value.trim() };
      if (requestInfo.checked) payload.requestInfo = true;
      await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/messages`, payload);
      await refresh(t(requestInfo.checked ? 'web-review.message.questionSent' : 'web-review.discussion.sent'));
    },
  });
  return form;
}
