// The specialists' opinions (blinded for a reviewer until they have given theirs) and the opinion form.
import { api, errorMessage } from '../../api.js';
import { codePicker } from '../../code-picker.js';
import { field, h, select } from '../../dom.js';
import { handleSubmit, unfilled } from '../../form.js';
import { CONFIDENCE_LABELS, dateTime, DISPOSITION_LABELS } from '../../format.js';
import { flashNext } from '../../ui.js';
import { navigate } from '../../router.js';
import { claimedCases, claimNext, openTakenCase } from '../reviewer.js';
import { diagnosisText, OPEN } from './shared.js';
import { t } from '../../i18n.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Opinion} Opinion */
/** @typedef {import('./shared.js').Diagnosis} Diagnosis */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * An opinion's card: its diagnosis, a line on who gave it, then the rest. A trainee's page draws the panel's and
 * their own with it too.
 * @param {Pick<Opinion, 'diagnosis' | 'differential' | 'confidence' | 'management' | 'disposition'>} o
 * @param {string} byline who gave it (and when)
 * @param {boolean} mine the reader's own
 */
export function opinionCard(o, byline, mine) {
  const differential = (o.differential ?? []).filter((d) => d?.text);
  return h(
    'article',
    { class: ['opinion', mine ? 'opinion-mine' : null] },
    h('h3', {}, diagnosisText(o.diagnosis)),
    h('p', { class: 'muted' }, byline),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, t('web-review.opinions.confidence')),
      h('dd', {}, CONFIDENCE_LABELS[o.confidence] ?? o.confidence),
      h('dt', {}, t('web-review.opinions.disposition')),
      h('dd', {}, DISPOSITION_LABELS[o.disposition] ?? o.disposition),
      h('dt', {}, t('web-review.opinions.management')),
      h('dd', { class: 'prewrap' }, o.management || '—'),
      differential.length ? [h('dt', {}, t('web-review.opinions.differential')), h('dd', {}, h('ul', {}, differential.map((d) => h('li', {}, diagnosisText(d)))))] : null,
    ),
  );
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function ownOpinion(c, user) {
  return c.opinions.find((o) => o.reviewer.id === user.id);
}

/**
 * Whether the page offers this person the opinion form (the reviewer's workspace is laid out around it).
 * @param {CaseView} c
 * @param {SessionUser} user
 */
export function canGiveOpinion(c, user) {
  return user.role === 'reviewer' && !ownOpinion(c, user) && OPEN.has(c.status) && c.status !== 'needs_info';
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function opinionsSection(c, user, refresh) {
  const opinions = c.opinions ?? [];
  const section = h('section', { class: 'card', id: 'opinions', 'aria-labelledby': 'opinions-h' }, h('h2', { id: 'opinions-h' }, t('web-review.opinions.heading')));
  const answered = c.status === 'answered' || (c.status === 'closed' && opinions.length > 0);

  if (user.role === 'reviewer') {
    if (!ownOpinion(c, user)) {
      if (canGiveOpinion(c, user)) section.append(opinionForm(c, refresh));
      else section.append(h('p', { class: 'muted' }, t(c.status === 'needs_info' ? 'web-review.opinions.waitingForReferrer' : 'web-review.opinions.noneFromYou')));
      section.append(h('p', { class: 'muted small' }, t('web-review.opinions.blinded')));
      return section;
    }
  }

  if (answered) {
    // The consensus is the server's (src/cases/consensus.ts); the page never works one out itself.
    const consensus = c.consensus ? { diagnosis: c.consensus, agreement: c.agreement } : null;
    if (consensus) {
      section.append(
        h(
          'div',
          { class: 'consensus', id: 'consensus', role: 'note' },
          h('p', { class: 'consensus-label' }, t('web-review.opinions.consensus')),
          h('p', { class: 'consensus-diagnosis' }, diagnosisText(consensus.diagnosis)),
          consensus.agreement !== undefined && consensus.agreement !== null ? h('p', { class: 'muted' }, t('web-review.opinions.agreement', { agreement: consensus.agreement, count: opinions.length })) : null,
        ),
      );
    }
  } else if (user.role === 'clinician') {
    section.append(h('p', { class: 'muted' }, t('web-review.opinions.onceAgreed')));
  }
  const card = (/** @type {Opinion} */ o) => {
    const mine = o.reviewer.id === user.id;
    return opinionCard(o, `${mine ? t('web-review.you') : o.reviewer.name} · ${dateTime(o.createdAt)}`, mine);
  };
  if (opinions.length) section.append(h('div', { class: 'opinions' }, opinions.map(card)));
  else if (user.role !== 'clinician') section.append(h('p', { class: 'muted' }, t('web-review.opinions.none')));
  return section;
}

/**
 * @param {string} prefix
 * @param {string} label
 * @param {boolean} required
 */
function diagnosisInputs(prefix, label, required) {
  const text = h('input', { type: 'text', name: `${prefix}-text`, maxlength: '500', autocomplete: 'off' });
  const code = h('input', { type: 'text', name: `${prefix}-code`, maxlength: '32', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', class: 'code-input' });
  const system = select(`${prefix}-system`, [
    ['icd10', 'ICD-10'],
    ['snomed', 'SNOMED CT'],
  ]);
  const el = h(
    'div',
    { class: 'diagnosis-inputs' },
    field(label, text, { required, hint: t('web-record.codes.hint') }),
    h('div', { class: 'row' }, field(t('web-review.form.code'), code, { hint: t('web-review.form.codeHint') }), field(t('web-review.form.codeSystem'), system)),
  );
  // An entry taken from the list brings its code; the code stays as it is when the words are edited after.
  codePicker(text, {
    onChoose(item) {
      code.value = item.code;
      system.value = item.system;
    },
  });
  return {
    el,
    text,
    value() {
      /** @type {{ text: string, code?: string, system?: string }} */
      const value = { text: text.value.trim() };
      if (code.value.trim()) {
        value.code = code.value.trim();
        value.system = system.value;
      }
      return value;
    },
  };
}

/**
 * The fields of an opinion (diagnosis, differential, confidence, disposition, management), for a reviewer's form
 * and a trainee's (views/teaching.js): the elements, the check of what is required, and the opinion they hold.
 */
export function opinionFields() {
  const diagnosis = diagnosisInputs('diagnosis', t('web-review.form.diagnosis'), true);
  const differentialList = h('div', { class: 'differential-list' });
  /** @type {ReturnType<typeof diagnosisInputs>[]} */
  const differential = [];
  const addDifferential = () => {
    const d = diagnosisInputs(`differential-${differential.length + 1}`, t('web-review.form.otherDiagnosis', { n: differential.length + 1 }), false);
    differential.push(d);
    differentialList.append(d.el);
    return d;
  };
  addDifferential();
  const confidence = select('confidence', Object.entries(CONFIDENCE_LABELS), 'medium');
  const management = h('textarea', { name: 'management', rows: '4', maxlength: '5000' });
  const disposition = select('disposition', [['', t('web-review.form.choose')], ...Object.entries(DISPOSITION_LABELS)], '');
  return {
    el: [
      diagnosis.el,
      h(
        'fieldset',
        {},
        h('legend', {}, t('web-review.form.differential')),
        differentialList,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => addDifferential().text.focus(),
          },
          t('web-review.form.addDifferential'),
        ),
      ),
      h('div', { class: 'row' }, field(t('web-review.opinions.confidence'), confidence, { required: true }), field(t('web-review.form.disposition'), disposition, { required: true })),
      field(t('web-review.form.management'), management, { required: true, hint: t('web-review.form.managementHint') }),
    ],
    check: () =>
      unfilled([
        [diagnosis.text, t('web-review.form.diagnosisMissing')],
        [disposition, t('web-review.form.dispositionMissing')],
        [management, t('web-review.form.managementMissing')],
      ]),
    /** The controls a 400 names, for its message to land beside them. */
    fields: { diagnosis: diagnosis.text, confidence, disposition, management },
    value: () => ({
      diagnosis: diagnosis.value(),
      differential: differential.map((d) => d.value()).filter((d) => d.text),
      confidence: confidence.value,
      management: management.value.trim(),
      disposition: disposition.value,
    }),
  };
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function opinionForm(c, refresh) {
  const opinion = opinionFields();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-opinion' }, t('web-review.form.submit'));
  // The usual way through a queue: the opinion, then straight on to the next case of the same queue.
  const submitAndNext = h('button', { type: 'submit', class: 'primary', id: 'submit-opinion-next', title: t('web-review.form.submitAndNextTitle') }, t('web-review.form.submitAndNext'));
  const form = h(
    'form',
    { class: 'opinion-form', id: 'opinion-form', novalidate: true, 'data-keep': true },
    h('h3', {}, t('web-review.form.heading')),
    opinion.el,
    h('div', { class: 'actions' }, submit, submitAndNext),
  );
  // Which button sent the form (this listener runs before handleSubmit's). handleSubmit keeps "Give opinion" busy
  // while sending; the other button is held too, and says "Sending…" when it was the one pressed.
  let takeNext = false;
  form.addEventListener('submit', (event) => {
    takeNext = event.submitter === submitAndNext;
  });
  const [idle, idleNext] = [submit.textContent, submitAndNext.textContent];
  handleSubmit(form, {
    submit,
    busyLabel: t('web-review.sending'),
    check: opinion.check,
    fields: opinion.fields,
    send: async () => {
      submitAndNext.disabled = true;
      if (takeNext) [submit.textContent, submitAndNext.textContent] = [idle, t('web-review.sending')];
      try {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/opinions`, opinion.value());
      } finally {
        submitAndNext.disabled = false;
        submitAndNext.textContent = idleNext;
      }
      claimedCases.remove(c.id);
      if (takeNext) await takeNextCase(c.queue, t('web-review.form.savedBeforeNext'));
      else await refresh(t('web-review.form.saved'));
    },
  });
  return form;
}

/**
 * Takes the next case of the queue and opens it, or goes to the queue page when nothing is waiting there.
 * @param {string} queue
 * @param {string} [done] what was just done, said first on the next page ("Your opinion is saved. ")
 */
export async function takeNextCase(queue, done = '') {
  try {
    const next = await claimNext(queue);
    if (next) {
      openTakenCase(next.id, done);
      return;
    }
    flashNext('ok', t('web-review.next.nothingWaiting', { done }));
  } catch (error) {
    flashNext('error', t('web-review.next.failed', { done, reason: errorMessage(error) }));
  }
  navigate('/queues');
}
