// A diagnosis text field that completes from the service's code list (GET /api/v1/codes): an ARIA 1.2
// combobox with a list of "L40.0 — Psoriasis vulgaris" options under it. Typing looks codes up after a short
// pause, and each new look-up cancels the one before; ↓/↑ move through the options, Enter takes one, Escape
// closes the list. Nothing is forced: text typed without taking an option is sent as written, with no code.
// Used by the opinion form; any form with a diagnosis (the outcome form) can use it the same way.
import { api } from './api.js';
import { h, uid } from './dom.js';
import { t } from './i18n.js';

/** @typedef {{ code: string, text: string, system: string }} CodeItem one entry of GET /api/v1/codes */

/** Typing pauses this long before a look-up: one request per word typed, not per letter. */
const DEBOUNCE_MS = 150;
/** Fewer letters than this match too much to be of help. */
const MIN_QUERY = 2;

/**
 * Makes `input` (already in its field, e.g. made by field()) a combobox over the code list; the list goes right
 * under it, in the flow of the form. `onChoose` is told the entry taken, after the input holds its text: the form keeps its code.
 * @param {HTMLInputElement} input
 * @param {{ system?: string, onChoose: (item: CodeItem) => void }} options
 */
export function codePicker(input, { system = 'icd10', onChoose }) {
  const listbox = h('ul', { role: 'listbox', id: uid('codes'), class: 'code-options', 'aria-label': t('web-record.codes.listLabel'), hidden: true });
  // What the list holds, said once it changes (a screen reader does not follow the list by itself).
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  input.after(listbox, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  /** @type {CodeItem[]} */
  let items = [];
  let active = -1;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {AbortController | null} */
  let pending = null;

  function cancel() {
    clearTimeout(timer);
    pending?.abort();
    pending = null;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  /** @param {number} index */
  function activate(index) {
    const options = [...listbox.children];
    options[active]?.setAttribute('aria-selected', 'false');
    active = index;
    const option = options[index];
    if (!option) return;
    option.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  }

  /** @param {CodeItem[]} found */
  function show(found) {
    items = found;
    active = -1;
    listbox.replaceChildren(
      ...found.map((item, index) =>
        h(
          'li',
          { role: 'option', id: `${listbox.id}-${index}`, class: 'code-option', 'aria-selected': 'false' },
          h('span', { class: 'code-option-code' }, item.code),
          ` — ${item.text}`,
        ),
      ),
    );
    status.textContent = found.length ? t('web-record.codes.found', { count: found.length }) : t('web-record.codes.none');
    if (!found.length || document.activeElement !== input) {
      close();
      return;
    }
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.removeAttribute('aria-activedescendant');
    listbox.scrollIntoView({ block: 'nearest' });
  }

  async function lookUp() {
    cancel();
    const q = input.value.trim();
    if (q.length < MIN_QUERY) {
      items = [];
      close();
      return;
    }
    const controller = new AbortController();
    pending = controller;
    try {
      const answer = /** @type {{ items: CodeItem[] }} */ (await api.get('/api/v1/codes', { system, q }, { signal: controller.signal }));
      if (controller.signal.aborted) return;
      show(answer.items);
    } catch {
      // Overtaken by the next keystroke, or the look-up failed: the text typed is still a diagnosis.
      if (!controller.signal.aborted) close();
    } finally {
      if (pending === controller) pending = null;
    }
  }

  /** @param {number} index */
  function choose(index) {
    const item = items[index];
    if (!item) return;
    cancel();
    input.value = item.text;
    close();
    status.textContent = t('web-record.codes.chosen', { code: item.code, text: item.text });
    onChoose(item);
  }

  input.addEventListener('input', () => {
    cancel();
    close();
    timer = setTimeout(lookUp, DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        // Opens the list of the last look-up again, or looks up what is typed now.
        if (items.length) show(items);
        else void lookUp();
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      // From the input, ↓ goes to the first option and ↑ to the last; from an option, round the list.
      activate(active < 0 ? (step > 0 ? 0 : items.length - 1) : (active + step + items.length) % items.length);
    } else if (event.key === 'Enter' && open && active >= 0) {
      // Takes the option instead of sending the form.
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      // Only the list closes: nothing around it (a dialog, the workspace) hears this Escape.
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });

  input.addEventListener('blur', () => {
    cancel();
    close();
  });
  // A click takes the option without taking the focus from the input first (which would close the list).
  listbox.addEventListener('mousedown', (event) => event.preventDefault());
  listbox.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role=option]') : null;
    if (option) choose([...listbox.children].indexOf(option));
  });

  return { close };
}
