// Keyboard shortcuts: a page lists its keys and what they do, one listener runs them (never while the person is
// typing in a field), and "?" shows the list in a dialog.
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * @typedef {object} Shortcut
 * @property {string[]} keys KeyboardEvent.key values that run it
 * @property {string} label what it does, in the list
 * @property {string} group a heading of the list ("Photos", "Actions")
 * @property {() => void} run
 */

/** @type {Shortcut[]} */
let pageShortcuts = [];

/** @type {Shortcut} its words read in the current language each time the list is shown */
const HELP = {
  keys: ['?'],
  get label() {
    return t('web-common.shortcuts.help');
  },
  get group() {
    return t('web-common.shortcuts.anywhere');
  },
  run: openShortcutList,
};

/**
 * The current page's shortcuts, replacing the last page's.
 * @param {Shortcut[]} list
 * @returns {() => void} removes them (when the page is left)
 */
export function setPageShortcuts(list) {
  pageShortcuts = list;
  return () => {
    if (pageShortcuts === list) pageShortcuts = [];
  };
}

/** Listens for the shortcuts, once for the app. */
export function installShortcuts() {
  document.addEventListener('keydown', onKeydown);
}

/** @param {EventTarget | null} target */
function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null);
}

/** @param {KeyboardEvent} event */
function onKeydown(event) {
  // A key a control used already (the viewer's own +/-), or one meant for the browser, or a modal dialog's.
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
  const shortcut = [HELP, ...pageShortcuts].find((s) => s.keys.includes(event.key));
  if (!shortcut) return;
  event.preventDefault();
  shortcut.run();
}

/** @param {string} key */
function keyName(key) {
  return { ' ': t('web-common.shortcuts.space'), ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓' }[key] ?? key;
}

/** The list of shortcuts in a modal dialog: the focus stays in it, Esc or "Close" closes it. */
export function openShortcutList() {
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  /** @type {Map<string, Shortcut[]>} */
  const groups = new Map();
  for (const s of [...pageShortcuts, HELP]) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  const close = h('button', { type: 'button', class: 'primary', id: 'shortcuts-close' }, t('web-common.shortcuts.close'));
  const dialog = h(
    'dialog',
    { class: 'shortcuts-dialog', id: 'shortcuts-dialog', 'aria-labelledby': 'shortcuts-h' },
    h('h2', { id: 'shortcuts-h' }, t('web-common.shortcuts.heading')),
    h('p', { class: 'muted small' }, t('web-common.shortcuts.when')),
    [...groups].map(([group, list]) => [
      h('h3', {}, group),
      h(
        'dl',
        { class: 'shortcut-list' },
        list.map((s) => [
          h(
            'dt',
            {},
            s.keys.map((k, i) => [i ? ` ${t('web-common.shortcuts.or')} ` : '', h('kbd', {}, keyName(k))]),
          ),
          h('dd', {}, s.label),
        ]),
      ),
    ]),
    h('div', { class: 'actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  // showModal makes the page inert; Tab still reaches the browser's own controls, so it wraps here instead.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')];
    const first = /** @type {HTMLElement | undefined} */ (focusable[0]);
    const last = /** @type {HTMLElement | undefined} */ (focusable[focusable.length - 1]);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    returnTo?.focus({ preventScroll: true });
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
