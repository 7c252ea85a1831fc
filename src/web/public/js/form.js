// Every form's submit: its checks, then the request with the button busy; each problem shown beside its
// field and in a summary at the top of the form that links to the fields and takes the focus (WCAG 3.3.1,
// 3.3.3; the GOV.UK design system's error summary). A server 400 that names a field lands on that field.
// Also a button's action outside a form, with the same busy state.
import { ApiError, errorMessage } from './api.js';
import { errorSlotOf, h, mount, notice, uid } from './dom.js';
import { formatNumber, t } from './i18n.js';
import { busy } from './ui.js';

/** @typedef {import('../../types.js').Control} Control */
/** @typedef {import('../../types.js').Child} Child */

/**
 * Where a problem is shown: a control made by field(), or a group of controls (a photo picker, a fieldset of
 * checkboxes) given as its element and how to focus it.
 * @typedef {Control | { el: HTMLElement, focus(): void }} FieldTarget
 */
/**
 * A problem: where (null: the form as a whole) and what to do about it, in words for the person.
 * @typedef {readonly [FieldTarget | null, string]} Problem
 */
/**
 * @typedef {object} FormOptions
 * @property {HTMLButtonElement} submit the button that sends; busy (and disabled) while sending
 * @property {string} [busyLabel] the button's text while sending, e.g. "Sending…"
 * @property {() => Problem[]} [check] the checks made before sending; any problem stops the sending
 * @property {Readonly<Record<string, FieldTarget>>} [fields] the API's names for the fields, so that a 400
 *   naming one (e.g. "body/email must match format…") is shown beside it
 * @property {() => Promise<unknown>} send sends the form; what it throws is shown
 * @property {(error: unknown) => Problem[] | void} [failed] called when sending failed (to tidy up, e.g. a
 *   progress bar); the problems it returns are shown instead of the error's own message
 * @property {string} [summaryId] the id of the error summary
 */

/**
 * Takes over a form's submit event. The summary goes at the top of the form (after its heading, if it
 * starts with one).
 * @param {HTMLFormElement} form
 * @param {FormOptions} options
 */
export function handleSubmit(form, { submit, busyLabel = t('web-photos.form.sending'), check, fields = {}, send, failed, summaryId }) {
  const summary = h('div', { class: 'error-summary', id: summaryId ?? uid('errors'), tabindex: '-1', hidden: true });
  const first = form.firstElementChild;
  if (first && /^H[1-6]$/.test(first.tagName)) first.after(summary);
  else form.prepend(summary);
  /** @type {Array<() => void>} undoes what the last problems changed */
  let undo = [];

  function clear() {
    for (const step of undo) step();
    undo = [];
    summary.hidden = true;
    summary.removeAttribute('role');
    delete summary.dataset.code;
    summary.replaceChildren();
  }

  /**
   * Shows the problems beside their fields and in the summary, and moves the focus to the summary.
   * @param {readonly Problem[]} problems
   * @param {string} [code] the API's error code, kept on the summary for tests and support
   */
  function show(problems, code) {
    clear();
    if (!problems.length) return;
    for (const [target, message] of problems) if (target) undo.push(markField(target, message));
    mount(
      summary,
      h('h2', { class: 'error-summary-title' }, t('web-photos.form.summaryTitle')),
      h(
        'ul',
        {},
        problems.map(([target, message]) => h('li', {}, target ? linkTo(target, message) : message)),
      ),
    );
    if (code) summary.dataset.code = code;
    // Set after the content, so that screen readers announce it whole.
    summary.setAttribute('role', 'alert');
    summary.hidden = false;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start', behavior: 'auto' });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clear();
    const problems = check?.() ?? [];
    if (problems.length) {
      show(problems);
      return;
    }
    await busy(
      submit,
      async () => {
        try {
          await send();
        } catch (error) {
          const own = failed?.(error);
          const code = error instanceof ApiError ? error.code : undefined;
          show(own && own.length ? own : serverProblems(error, fields), code);
        }
      },
      busyLabel,
    );
  });

  return { show, clear, summary };
}

/**
 * A button's action outside any form (release, close, disable…): busy while it runs; what goes wrong is
 * said in `messages`.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} messages
 * @param {() => Promise<unknown>} action
 * @param {string} [busyLabel]
 */
export function buttonAction(button, messages, action, busyLabel) {
  return busy(
    button,
    async () => {
      messages.replaceChildren();
      try {
        await action();
      } catch (error) {
        mount(messages, notice('error', errorMessage(error)));
      }
    },
    busyLabel,
  );
}

/**
 * The problems of required fields left empty (only spaces counts as empty), in the form's order.
 * @param {ReadonlyArray<readonly [Control, string]>} required each control and what to ask for
 * @returns {Problem[]}
 */
export function unfilled(required) {
  return required.filter(([control]) => !control.value.trim());
}

/**
 * Writes the message beside the field, ties it to the control and marks it invalid.
 * @param {FieldTarget} target
 * @param {string} message
 * @returns {() => void} puts the field back as it was
 */
function markField(target, message) {
  const group = isGroup(target) ? target.el : null;
  const control = isGroup(target) ? null : target;
  const box = group ?? control?.closest('.field') ?? control?.parentElement;
  let slot = control ? errorSlotOf(control) : undefined;
  let made = false;
  if (!slot) {
    // A group, or a control not made by field(): the message goes just before it, after a group's legend.
    slot = h('p', { class: 'field-error', id: uid('error') });
    made = true;
    const legend = group?.querySelector(':scope > legend');
    if (control) control.before(slot);
    else if (legend) legend.after(slot);
    else group?.prepend(slot);
  }
  const errorSlot = slot;
  mount(errorSlot, h('span', { class: 'visually-hidden' }, t('web-photos.form.errorPrefix')), message);
  errorSlot.hidden = false;
  box?.classList.add('field-invalid');
  const before = control?.getAttribute('aria-describedby') ?? null;
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [before, errorSlot.id].filter(Boolean).join(' '));
  }
  return () => {
    if (made) errorSlot.remove();
    else {
      errorSlot.hidden = true;
      errorSlot.replaceChildren();
    }
    box?.classList.remove('field-invalid');
    if (control) {
      control.removeAttribute('aria-invalid');
      if (before === null) control.removeAttribute('aria-describedby');
      else control.setAttribute('aria-describedby', before);
    }
  };
}

/**
 * A summary item: a link that brings the field into view and focuses it (the page's own hash routing
 * must not see the click).
 * @param {FieldTarget} target
 * @param {string} message
 */
function linkTo(target, message) {
  const el = isGroup(target) ? target.el : target;
  el.id ||= uid('field');
  return h(
    'a',
    {
      href: `#${el.id}`,
      onclick: (/** @type {Event} */ event) => {
        event.preventDefault();
        // The label or legend in view as well as the control, as a person needs both.
        (el.closest('.field') ?? el).scrollIntoView({ block: 'center' });
        target.focus();
      },
    },
    message,
  );
}

/**
 * @param {FieldTarget} target
 * @returns {target is { el: HTMLElement, focus(): void }}
 */
function isGroup(target) {
  return !(target instanceof Element);
}

/**
 * The problems of a failed request: a 400 naming one of the form's fields goes beside it, anything else in
 * the summary alone. The server names the field at the start of its English message ("body/email must…",
 * "case/patientRef must…", "photos: at least one…") or in ajv's "must have required property 'x'"; in
 * another language its sentence carries that English detail in brackets at the end.
 * @param {unknown} error
 * @param {Readonly<Record<string, FieldTarget>>} fields
 * @returns {Problem[]}
 */
export function serverProblems(error, fields) {
  if (error instanceof ApiError && error.status === 400) {
    const bracketed = /[(（]([\s\S]*)[)）]$/.exec(error.message)?.[1] ?? '';
    for (const detail of [error.message, bracketed]) {
      const named = /^(?:(?:body|case|querystring|params)\/)?([A-Za-z][A-Za-z0-9]*)(?:\/\S*)?:? (.*)$/s.exec(detail);
      const required = /must have required property '([A-Za-z0-9]+)'/.exec(detail);
      const name = required?.[1] ?? named?.[1];
      const target = name !== undefined && Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (target) return [[target, fieldProblem(labelOf(target), required ? null : (named?.[2] ?? ''), detail === error.message ? null : error.message)]];
    }
  }
  return [[null, errorMessage(error)]];
}

/** ajv's rules that a person is told in their own words (web-photos.form.<rule>), with the rule's value. */
const RULES = /** @type {const} */ ([
  [/^must match pattern ".*"$/, 'pattern'],
  [/^must match format "email"$/, 'email'],
  [/^must match format "(.*)"$/, 'format'],
  [/^must NOT have more than (\d+) characters$/, 'maxLength'],
  [/^must NOT have fewer than (\d+) characters$/, 'minLength'],
  [/^must be >= (\S+)$/, 'minimum'],
  [/^must be <= (\S+)$/, 'maximum'],
]);

/**
 * A field's problem as the person reads it, after the field's label.
 * @param {string} field the field's label
 * @param {string | null} problem the server's English words after the field's name; null: the field is missing
 * @param {string | null} translated the server's whole message when it was not in English
 */
function fieldProblem(field, problem, translated) {
  if (problem === null) return t('web-photos.form.required', { field });
  for (const [rule, key] of RULES) {
    const match = rule.exec(problem);
    if (!match) continue;
    const value = match[1] ?? '';
    const number = Number(value);
    // A limit ungrouped, as the server states it ("at most 2000 characters").
    const limit = value && Number.isFinite(number) ? formatNumber(number, { useGrouping: false, maximumFractionDigits: 20 }) : value;
    return t(`web-photos.form.${key}`, { field, format: value, limit, count: number });
  }
  // Words of the server's own: an English sentence that reads on from the label ("names an unknown queue") or
  // comes after it; another language's whole sentence after the label.
  if (translated !== null) return t('web-photos.form.fieldProblem', { field, problem: translated });
  return /^(must|is|names|has) /.test(problem) ? `${field} ${problem}` : t('web-photos.form.fieldProblem', { field, problem });
}

/**
 * The words of a field's label (or its group's legend), as the person reads them on the form.
 * @param {FieldTarget} target
 */
function labelOf(target) {
  if (isGroup(target)) return target.el.querySelector('legend')?.textContent?.trim() ?? t('web-photos.form.thisGroup');
  return target.labels?.[0]?.textContent?.trim() ?? t('web-photos.form.thisField');
}
