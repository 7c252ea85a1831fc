// Builds DOM nodes without innerHTML, so case text from the API can never become markup.

/** @typedef {import('../../types.js').Attrs} Attrs */
/** @typedef {import('../../types.js').Child} Child */
/** @typedef {import('../../types.js').Control} Control */

/**
 * h('button', { class: 'primary', onclick: fn }, 'Save') -> <button class="primary">Save</button>
 * Attribute values: strings and numbers are set as attributes, `true` sets a boolean attribute,
 * `false`/null/undefined leave it out, functions under `on…` become event listeners.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  /** @type {HTMLElement} */
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    } else if (key === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : /** @type {string} */ (value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' && 'value' in el) {
      el.value = String(value);
    } else if (key === 'checked' || key === 'selected') {
      /** @type {HTMLInputElement & HTMLOptionElement} */ (el)[key] = Boolean(value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return /** @type {HTMLElementTagNameMap[K]} */ (el);
}

/**
 * @param {Element} el
 * @param {readonly Child[]} children
 */
function append(el, children) {
  // (read as unknown[]: flat(Infinity) over the recursive Child type is too deep for the checker)
  for (const child of /** @type {readonly unknown[]} */ (children).flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces every child of `el`.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idCounter = 0;
/**
 * A unique id for label/control pairs.
 * @param {string} [prefix]
 */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// The error slot of each control field() made: form.js writes a field's problem there.
/** @type {WeakMap<Element, HTMLElement>} */
const errorSlots = new WeakMap();

/**
 * The element that shows a control's error, if field() made the control's field.
 * @param {Element} control
 * @returns {HTMLElement | undefined}
 */
export function errorSlotOf(control) {
  return errorSlots.get(control);
}

/**
 * A labelled control: label, optional hint, an error slot (empty until form.js fills it and ties it to the
 * control with aria-describedby), then the control. `control` is an element; its id is set when missing.
 * @param {Child} labelText
 * @param {Control} control
 * @param {{ hint?: string, required?: boolean }} [options]
 */
export function field(labelText, control, { hint, required } = {}) {
  control.id ||= uid('f');
  // The star comes from CSS (label.required::after), so the label's text is just its words.
  /** @type {HTMLElement[]} */
  const parts = [h('label', { for: control.id, class: required ? 'required' : null }, labelText)];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  const slot = h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true });
  errorSlots.set(control, slot);
  parts.push(slot);
  if (required) control.required = true;
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}

/**
 * <select> from [value, label] pairs (or plain strings).
 * @param {string} name
 * @param {readonly import('../../types.js').SelectOption[]} options
 * @param {string} [selected]
 */
export function select(name, options, selected) {
  return h(
    'select',
    { name },
    options.map((option) => {
      const [value, label] = Array.isArray(option) ? option : [option, option];
      return h('option', { value, selected: String(value) === String(selected ?? '') }, label);
    }),
  );
}

/**
 * A message box for errors or confirmations; role=alert for errors so screen readers announce it.
 * @param {'ok' | 'error'} kind
 * @param {...Child} content
 */
export function notice(kind, ...content) {
  return h('div', { class: ['notice', `notice-${kind}`], role: kind === 'error' ? 'alert' : 'status' }, content);
}
