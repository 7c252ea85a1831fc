// Links a patient or parent opens on a phone to send follow-up photos: the case's links with their status,
// revoking one, and a new one shown once, to copy or to scan from the screen as a QR code.
import qrcode from 'qrcode-generator';
import { api, errorMessage } from '../../api.js';
import { field, h, mount, notice, select, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { buttonAction, handleSubmit } from '../../form.js';
import { LANGUAGE_NAMES, LANGUAGES } from 'virtual:i18n';
import { currentLanguage } from '../../i18n.js';
import { loading } from '../../ui.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('../../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */
/** @typedef {import('../../../../types.js').FollowUpLink} FollowUpLink */

/** @type {Readonly<Record<FollowUpLink['status'], string>>} */
const STATUS_LABELS = { active: 'Active', used: 'Used up', expired: 'Expired', revoked: 'Revoked' };

const SVG = 'http://www.w3.org/2000/svg';
/** The blank margin a scanner needs around the code, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/**
 * @param {CaseView} c
 * @param {SessionUser} user the signed-in user: Revoke is offered on the links they made
 */
export function followUpSection(c, user) {
  const list = h('div', { class: 'follow-up-links', id: 'follow-up-links', 'aria-live': 'polite' }, loading('Loading the links…'));
  const listMessages = h('div', { 'aria-live': 'polite' });

  async function showLinks() {
    try {
      const { items } = /** @type {{ items: FollowUpLink[] }} */ (await api.get(`/api/v1/cases/${encodeURIComponent(c.id)}/follow-up-links`));
      mount(list, items.length ? h('ul', { class: 'link-list' }, items.map(linkItem)) : h('p', { class: 'muted' }, 'No follow-up link has been made for this case yet.'));
    } catch (error) {
      mount(list, notice('error', errorMessage(error)));
    }
  }

  /** @param {FollowUpLink} link */
  function linkItem(link) {
    // Only its maker (or an admin) may revoke a link; the server says so too.
    const mayRevoke = link.status === 'active' && (link.createdBy === user?.id || user?.role === 'admin');
    const revoke = h('button', { type: 'button', class: 'secondary btn-small' }, 'Revoke');
    revoke.addEventListener('click', () => {
      if (!window.confirm('Revoke this link? The patient can no longer send photos with it.')) return;
      void buttonAction(
        revoke,
        listMessages,
        async () => {
          await api.del(`/api/v1/follow-up-links/${encodeURIComponent(link.id)}`);
          await showLinks();
          mount(listMessages, notice('ok', 'The link is revoked.'));
        },
        'Revoking…',
      );
    });
    const until = { active: `Works until ${dateTime(link.expiresAt)}`, used: `Was to work until ${dateTime(link.expiresAt)}`, expired: `Expired ${dateTime(link.expiresAt)}`, revoked: `Revoked ${dateTime(link.revokedAt)}` }[link.status];
    return h(
      'li',
      { class: 'link-item', dataset: { linkId: link.id, status: link.status } },
      h('span', { class: ['badge', `link-${link.status}`] }, STATUS_LABELS[link.status]),
      h('span', { class: 'link-photos' }, `${link.photosReceived} of ${link.maxPhotos} photo${link.maxPhotos === 1 ? '' : 's'} received`),
      h('span', { class: 'link-dates muted small' }, `Made ${dateTime(link.createdAt)} · ${until}`),
      mayRevoke ? revoke : null,
    );
  }

  const days = select('expiresInDays', [
    ['3', '3 days'],
    ['7', '7 days'],
    ['14', '14 days'],
    ['30', '30 days'],
  ], '14');
  const maxPhotos = h('input', { type: 'number', name: 'maxPhotos', min: '1', max: '20', value: '5', inputmode: 'numeric' });
  // The page the parent opens speaks this language (each named in itself); the staff member's own by default.
  const language = select('language', LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]]), currentLanguage());
  const result = h('div', { class: 'follow-up-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'secondary', id: 'make-link' }, 'Make a follow-up link');
  const form = h(
    'form',
    { class: 'follow-up-form', id: 'follow-up-form', novalidate: true },
    h('div', { class: 'row' }, field('Link works for', days), field('Most photos', maxPhotos, { hint: 'From 1 to 20' }), field("Parent's language", language)),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: 'Making the link…',
    check: () => {
      const n = Number(maxPhotos.value);
      return Number.isInteger(n) && n >= 1 && n <= 20 ? [] : [[maxPhotos, 'Enter how many photos the link takes, a whole number from 1 to 20.']];
    },
    fields: { expiresInDays: days, maxPhotos, language },
    async send() {
      const body = { expiresInDays: Number(days.value), maxPhotos: Number(maxPhotos.value), language: language.value };
      const link = /** @type {CreatedFollowUpLink} */ (await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/follow-up-links`, body));
      mount(result, newLink(link));
      await showLinks();
    },
  });

  void showLinks();
  return h(
    'section',
    { class: 'card', id: 'follow-up', 'aria-labelledby': 'follow-up-h', 'data-keep': true },
    h('h2', { id: 'follow-up-h' }, 'Follow-up photos from the patient'),
    h('p', { class: 'muted' }, 'A link the patient or a parent opens on a phone to send new photos and a note. It shows nothing about the case.'),
    list,
    listMessages,
    form,
    result,
  );
}

/**
 * A new link, shown only now: the address to copy, and the same as a QR code to scan from the screen.
 * @param {CreatedFollowUpLink} link
 */
function newLink(link) {
  const url = h('input', { type: 'text', readonly: true, value: link.url, id: uid('link'), class: 'link-output', onfocus: (/** @type {Event} */ e) => /** @type {HTMLInputElement} */ (e.target).select() });
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
  return [
    field('Follow-up link (shown only now)', url, { hint: `Works until ${dateTime(link.expiresAt)} for up to ${link.maxPhotos} photos. Give it to the patient only.` }),
    h('div', { class: 'actions' }, copy, copied),
    h('figure', { class: 'qr' }, qrSvg(link.url, 'QR code of the follow-up link: the patient scans it with the phone camera to open the link'), h('figcaption', { class: 'small' }, 'Or let the patient scan this code with the phone camera.')),
  ];
}

/**
 * A QR code as an inline SVG, error correction M, with its quiet zone; one path of dark modules, drawn
 * without markup from strings.
 * @param {string} text
 * @param {string} label what the picture is, for those who cannot see it
 */
function qrSvg(text, label) {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const modules = code.getModuleCount();
  const side = modules + 2 * QUIET_ZONE;
  let d = '';
  for (let row = 0; row < modules; row += 1) {
    for (let col = 0; col < modules; col += 1) {
      if (code.isDark(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.modules = String(modules);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const dark = document.createElementNS(SVG, 'path');
  dark.setAttribute('d', d);
  dark.setAttribute('fill', '#000');
  svg.append(title, background, dark);
  return svg;
}
