// The case's confirmed outcome: what a biopsy or the course of the disease showed it to be, against which the
// panel's answer is measured. Whoever may see the answer sees it; the referrer records it once the case is
// answered (or closed), and may change it later.
import { api } from '../../api.js';
import { field, h, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { handleSubmit, unfilled } from '../../form.js';
import { t } from '../../i18n.js';
import { codePicker } from '../../code-picker.js';
import { diagnosisText } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {NonNullable<CaseView['outcome']>} Outcome */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

const KINDS = /** @type {const} */ (['histology', 'clinical']);

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function outcomeSection(c, user, refresh) {
  const canRecord = c.referrer.id === user.id && (c.status === 'answered' || c.status === 'closed');
  const outcome = c.outcome ?? null;
  if (!outcome && !canRecord) return null;
  return h(
    'section',
    { class: 'card outcome', id: 'outcome', 'aria-labelledby': 'outcome-h' },
    h('h2', { id: 'outcome-h' }, t('web-outcomes.card.heading')),
    outcome ? outcomeDetails(outcome) : h('p', { class: 'muted' }, t('web-outcomes.card.intro')),
    !canRecord ? null : outcome ? h('details', { class: 'outcome-change' }, h('summary', {}, t('web-outcomes.card.change')), outcomeForm(c, outcome, refresh)) : outcomeForm(c, null, refresh),
  );
}

/** @param {Outcome} outcome */
function outcomeDetails(outcome) {
  return [
    h(
      'dl',
      { class: 'details outcome-details' },
      h('dt', {}, t('web-outcomes.shown.kind')),
      h('dd', { class: 'outcome-kind' }, t(`web-outcomes.kind.${outcome.kind}`)),
      h('dt', {}, t('web-outcomes.shown.diagnosis')),
      h('dd', { class: 'outcome-diagnosis' }, diagnosisText(outcome.diagnosis)),
      outcome.notes ? [h('dt', {}, t('web-outcomes.shown.notes')), h('dd', { class: 'outcome-notes prewrap' }, outcome.notes)] : null,
    ),
    h('p', { class: 'muted small' }, t('web-outcomes.shown.recorded', { name: outcome.recordedBy.name, date: dateTime(outcome.recordedAt) })),
  ];
}

/**
 * The referrer's form: how it was confirmed, the diagnosis (completed from the ICD-10 list, free text allowed)
 * and notes; filled with the outcome already recorded, when there is one.
 * @param {CaseView} c
 * @param {Outcome | null} recorded
 * @param {Refresh} refresh
 */
function outcomeForm(c, recorded, refresh) {
  const name = uid('outcome-kind');
  const radios = KINDS.map((kind) => h('input', { type: 'radio', name, value: kind, id: uid('outcome-kind'), checked: recorded?.kind === kind }));
  const kindGroup = h(
    'fieldset',
    { class: 'checks outcome-kinds' },
    h('legend', { class: 'required' }, t('web-outcomes.form.kind')),
    radios.map((radio) => h('div', { class: 'check' }, radio, h('label', { for: radio.id }, t(`web-outcomes.kind.${radio.value}`)))),
  );
  const kind = { el: kindGroup, focus: () => radios[0]?.focus() };
  const text = h('input', { type: 'text', name: 'outcome-diagnosis', maxlength: '300', autocomplete: 'off', value: recorded?.diagnosis.text ?? '' });
  const code = h('input', {
    type: 'text',
    name: 'outcome-code',
    maxlength: '32',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    class: 'code-input',
    value: recorded?.diagnosis.system === 'icd10' ? (recorded.diagnosis.code ?? '') : '',
  });
  const notes = h('textarea', { name: 'outcome-notes', rows: '3', maxlength: '5000' }, recorded?.notes ?? '');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-outcome' }, t(recorded ? 'web-outcomes.form.save' : 'web-outcomes.form.record'));
  const form = h(
    'form',
    { class: 'outcome-form', id: 'outcome-form', novalidate: true, 'data-keep': true },
    kindGroup,
    field(t('web-outcomes.form.diagnosis'), text, { required: true }),
    field(t('web-outcomes.form.code'), code, { hint: t('web-outcomes.form.codeHint') }),
    field(t('web-outcomes.form.notes'), notes, { hint: t('web-outcomes.form.notesHint') }),
    h('div', { class: 'actions' }, submit),
  );
  // An entry taken from the list brings its code; the code stays as it is when the words are edited after.
  codePicker(text, {
    onChoose(item) {
      code.value = item.code;
    },
  });
  handleSubmit(form, {
    submit,
    busyLabel: t('web-outcomes.form.saving'),
    check: () => [
      ...(radios.some((radio) => radio.checked) ? [] : [/** @type {const} */ ([kind, t('web-outcomes.form.kindMissing')])]),
      ...unfilled([[text, t('web-outcomes.form.diagnosisMissing')]]),
    ],
    fields: { kind, diagnosis: text, notes },
    send: async () => {
      const chosen = radios.find((radio) => radio.checked)?.value;
      const diagnosis = code.value.trim() ? { text: text.value.trim(), code: code.value.trim(), system: 'icd10' } : { text: text.value.trim() };
      await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/outcome`, { kind: chosen, diagnosis, notes: notes.value });
      await refresh(t('web-outcomes.form.saved'));
    },
  });
  return form;
}
