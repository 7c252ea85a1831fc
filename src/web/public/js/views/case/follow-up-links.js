// Links a patient or parent opens on a phone to send follow-up photos.
import { api, errorMessage } from '../../api.js';
import { field, h, mount, notice, select, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { busy } from '../../ui.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */

/** @param {CaseView} c */
export function followUpSection(c) {
  const days = select('expiresInDays', [
    ['3', '3 days'],
    ['7', '7 days'],
    ['14', '14 days'],
    ['30', '30 days'],
  ], '14');
  const maxPhotos = h('input', { type: 'number', name: 'maxPhotos', min: '1', max: '20', value: '5', inputmode: 'numeric' });
  const result = h('div', { class: 'follow-up-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'secondary', id: 'make-link' }, 'Make a follow-up link');
  const form = h(
    'form',
    { class: 'card', id: 'follow-up-form', novalidate: true },
    h('h2', {}, 'Follow-up photos from the patient'),
    h('p', { class: 'muted' }, 'A link the patient can open on a phone to send new photos. It shows nothing about the case.'),
    h('div', { class: 'row' }, field('Link works for', days), field('Most photos', maxPhotos)),
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(submit, async () => {
      try {
        /** @type {{ expiresInDays: number, maxPhotos?: number }} */
        const body = { expiresInDays: Number(days.value) };
        if (maxPhotos.value) body.maxPhotos = Number(maxPhotos.value);
        const link = /** @type {CreatedFollowUpLink} */ (await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/follow-up-links`, body));
        const url = h('input', { type: 'text', readonly: true, value: link.url, id: uid('link'), class: 'link-output', onfocus: (e) => /** @type {HTMLInputElement} */ (e.target).select() });
        const copied = h('span', { class: 'copied', role: 'status' });
        const copy = h('button', { type: 'button', class: 'primary', id: 'copy-link' }, 'Copy link');
        copy.addEventListener('click', async () => {
          try {
            await navigator.clipboard.writeText(link.url);
            copied.textContent = 'Copied.';
          } catch {
            url.focus();
            url.select();
            copied.textContent = 'Press Ctrl+C (or long-press and Copy) to copy.';
          }
        });
        mount(
          result,
          field('Follow-up link (shown only now)', url, { hint: `Works until ${dateTime(link.expiresAt)}. Give it to the patient only.` }),
          h('div', { class: 'actions' }, copy, copied),
        );
      } catch (error) {
        mount(result, notice('error', errorMessage(error)));
      }
    });
  });
  return form;
}
