// Links a patient or parent opens on a phone to send follow-up photos: the case's links with their status and
// the language their page speaks, revoking one, and a new one shown once, to copy or to scan from the screen as a
// QR code.
import qrcode from 'qrcode-generator';
import { api, errorMessage } from '../../api.js';
import { field, h, mount, notice, select, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { buttonAction, handleSubmit } from '../../form.js';
import { LANGUAGE_NAMES, LANGUAGES } from 'virtual:i18n';
import { currentLanguage, t } from '../../i18n.js';
import { loading } from '../../ui.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('../../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */
/** @typedef {import('../../../../types.js').FollowUpLink} FollowUpLink */

const SVG = 'http://www.w3.org/2000/svg';
/** The blank margin a scanner needs around the code, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/**
 * @param {CaseView} c
 * @param {SessionUser} user the signed-in user: Revoke is offered on the links they made
 */
export function followUpSection(c, user) {
  const list = h('div', { class: 'follow-up-links', id: 'follow-up-links', 'aria-live': 'polite' }, loading(t('web-case.links.loading')));
  const listMessages = h('div', { 'aria-live': 'polite' });

  async function showLinks() {
    try {
      const { items } = /** @type {{ items: FollowUpLink[] }} */ (await api.get(`/api/v1/cases/${encodeURIComponent(c.id)}/follow-up-links`));
      mount(list, items.length ? h('ul', { class: 'link-list' }, items.map(linkItem)) : h('p', { class: 'muted' }, t('web-case.links.none')));
    } catch (error) {
      mount(list, notice('error', errorMessage(error)));
    }
  }

  /** @param {FollowUpLink} link */
  function linkItem(link) {
    // Only its maker (or an admin) may revoke a link; the server says so too.
    const mayRevoke = link.status === 'active' && (link.createdBy === user?.id || user?.role === 'admin');
    const revoke = h('button', { type: 'button', class: 'secondary btn-small' }, t('web-case.links.revoke'));
    revoke.addEventListener('click', () => {
      if (!window.confirm(t('web-case.links.revokeConfirm'))) return;
      void buttonAction(
        revoke,
        listMessages,
        async () => {
          await api.del(`/api/v1/follow-up-links/${encodeURIComponent(link.id)}`);
          await showLinks();
          mount(listMessages, notice('ok', t('web-case.links.revoked')));
        },
        t('web-case.links.revoking'),
      );
    });
    const until = t('web-case.links.until', { status: link.status, time: dateTime(link.status === 'revoked' ? link.revokedAt : link.expiresAt) });
    return h(
      'li',
      { class: 'link-item', dataset: { linkId: link.id, status: link.status } },
      h('span', { class: ['badge', `link-${link.status}`] }, t('web-case.links.status', { status: link.status })),
      h('span', { class: 'link-photos' }, t('web-case.links.photos', { received: link.photosReceived, max: link.maxPhotos })),
      h('span', { class: 'link-language' }, link.language ? t('web-case.links.language', { name: LANGUAGE_NAMES[link.language] }) : t('web-case.links.browserLanguage')),
      h('span', { class: 'link-dates muted small' }, `${t('web-case.links.made', { time: dateTime(link.createdAt) })} · ${until}`),
      mayRevoke ? revoke : null,
    );
  }

  const days = select('expiresInDays', [3, 7, 14, 30].map((n) => [String(n), t('web-case.links.days', { days: n })]), '14');
  const maxPhotos = h('input', { type: 'number', name: 'maxPhotos', min: '1', max: '20', value: '5', inputmode: 'numeric' });
  // The page the parent opens speaks this language (each named in itself); the staff member's own by default.
  const language = select('language', LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]]), currentLanguage());
  const result = h('div', { class: 'follow-up-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'secondary', id: 'make-link' }, t('web-case.links.make'));
  const form = h(
    'form',
    { class: 'follow-up-form', id: 'follow-up-form', novalidate: true },
    h('div', { class: 'row' }, field(t('web-case.links.worksFor'), days), field(t('web-case.links.mostPhotos'), maxPhotos, { hint: t('web-case.links.mostPhotosHint') }), field(t('web-case.links.parentLanguage'), language)),
    submit,
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-case.links.making'),
    check: () => {
      const n = Number(maxPhotos.value);
      return Number.isInteger(n) && n >= 1 && n <= 20 ? [] : [[maxPhotos, t('web-case.links.mostPhotosInvalid')]];
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
    h('h2', { id: 'follow-up-h' }, t('web-case.links.heading')),
    h('p', { class: 'muted' }, t('web-case.links.intro')),
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
  const copy = h('button', { type: 'button', class: 'primary', id: 'copy-link' }, t('web-case.links.copy'));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      copied.textContent = t('web-case.links.copied');
    } catch {
      url.focus();
      url.select();
      copied.textContent = t('web-case.links.copyByHand');
    }
  });
  return [
    field(t('web-case.links.new'), url, { hint: t('web-case.links.newHint', { time: dateTime(link.expiresAt), max: link.maxPhotos }) }),
    h('div', { class: 'actions' }, copy, copied),
    h('figure', { class: 'qr' }, qrSvg(link.url, t('web-case.links.qrLabel')), h('figcaption', { class: 'small' }, t('web-case.links.qrCaption'))),
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
  code.addData(text); // byte mode, the library's default
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
