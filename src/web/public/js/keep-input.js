// Drawing a page again from fresh data (a live update) without losing what the person is doing on it: the parts
// marked data-keep (a form, a section showing a link made just now) that hold unsent input or the focus take
// the place of their fresh copies in the new drawing.

/** @type {WeakMap<Element, string>} each keepable part's controls as they were drawn */
const drawn = new WeakMap();

/** @param {Element} part */
function controlsState(part) {
  return JSON.stringify(
    [.../** @type {NodeListOf<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */ (part.querySelectorAll('input, select, textarea'))].map((control) =>
      control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio') ? control.checked : control.value,
    ),
  );
}

/**
 * Remembers how the keepable parts of a page look when drawn, so that a later change can be told from them.
 * @param {Element} root
 */
export function watchInput(root) {
  // A part carried over keeps what it was drawn with: what was typed in it is still unsent.
  for (const part of root.querySelectorAll('[data-keep]')) if (!drawn.has(part)) drawn.set(part, controlsState(part));
}

/**
 * Whether a part holds something the person did: typed or chose something, or is in it now.
 * @param {Element} part
 */
function holdsInput(part) {
  return part.contains(document.activeElement) || drawn.get(part) !== controlsState(part);
}

/**
 * Moves the parts of `old` that hold input into `fresh`, in place of the parts with the same id. Nothing moves
 * when one of them has no place in `fresh` (the case has changed so that the form is no longer offered).
 * @param {Element} old the page on screen
 * @param {Element} fresh the page drawn again, not yet on screen
 * @returns {boolean} false when something typed would have been lost: the caller keeps the old page
 */
export function carryOver(old, fresh) {
  /** @type {Array<[Element, Element]>} */
  const moves = [];
  for (const part of old.querySelectorAll('[data-keep]')) {
    if (!part.id || !holdsInput(part) || moves.some(([outer]) => outer.contains(part))) continue;
    const place = fresh.querySelector(`#${CSS.escape(part.id)}`);
    if (!place) return false;
    moves.push([part, place]);
  }
  for (const [part, place] of moves) place.replaceWith(part);
  return true;
}

/**
 * What has the focus, its text selection and the scroll position, to put back after the page is drawn again.
 * @returns {() => void} puts them back
 */
export function rememberFocus() {
  const active = document.activeElement;
  const scrollY = window.scrollY;
  const text = active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement ? active : null;
  // Null for inputs without a text selection (numbers, email).
  const start = text?.selectionStart ?? null;
  const end = text?.selectionEnd ?? null;
  const direction = text?.selectionDirection ?? undefined;
  return () => {
    if (active instanceof HTMLElement && active !== document.body && active.isConnected && document.activeElement !== active) {
      active.focus({ preventScroll: true });
      if (text && start !== null && end !== null) text.setSelectionRange(start, end, direction);
    }
    window.scrollTo({ top: scrollY, behavior: 'instant' });
  };
}
