// The specialists' opinions (blinded for a reviewer until they have given theirs) and the opinion form.
import { api, errorMessage } from '../../api.js';
import { field, h, mount, notice, select } from '../../dom.js';
import { CONFIDENCE_LABELS, dateTime, DISPOSITION_LABELS } from '../../format.js';
import { busy } from '../../ui.js';
import { claimedCases } from '../reviewer.js';
import { diagnosisText, OPEN } from './shared.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('./shared.js').Opinion} Opinion */
/** @typedef {import('./shared.js').Diagnosis} Diagnosis */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */

/**
 * @param {Opinion} o
 * @param {SessionUser} user
 */
function opinionCard(o, user) {
  const mine = o.reviewer?.id === user.id || o.reviewerId === user.id;
  const differential = (o.differential ?? []).filter((d) => d?.text);
  return h(
    'article',
    { class: ['opinion', mine ? 'opinion-mine' : null] },
    h('h3', {}, diagnosisText(o.diagnosis)),
    h('p', { class: 'muted' }, `${mine ? 'You' : (o.reviewer?.name ?? o.reviewerName ?? 'A specialist')} · ${dateTime(o.createdAt)}`),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Confidence'),
      h('dd', {}, CONFIDENCE_LABELS[o.confidence] ?? o.confidence),
      h('dt', {}, 'What to do'),
      h('dd', {}, DISPOSITION_LABELS[o.disposition] ?? o.disposition),
      h('dt', {}, 'Management'),
      h('dd', { class: 'prewrap' }, o.management || '—'),
      differential.length ? [h('dt', {}, 'Also consider'), h('dd', {}, h('ul', {}, differential.map((d) => h('li', {}, diagnosisText(d)))))] : null,
    ),
  );
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
export function opinionsSection(c, user, refresh) {
  const opinions = c.opinions ?? [];
  const section = h('section', { class: 'card', id: 'opinions', 'aria-labelledby': 'opinions-h' }, h('h2', { id: 'opinions-h' }, 'Specialist opinions'));
  const answered = c.status === 'answered' || (c.status === 'closed' && opinions.length > 0);

  if (user.role === 'reviewer') {
    const mine = opinions.find((o) => o.reviewer?.id === user.id || o.reviewerId === user.id);
    if (!mine) {
      if (OPEN.has(c.status) && c.status !== 'needs_info') section.append(opinionForm(c, refresh));
      else section.append(h('p', { class: 'muted' }, c.status === 'needs_info' ? 'Waiting for the referrer before more opinions.' : 'No opinion from you on this case.'));
      section.append(h('p', { class: 'muted small' }, 'Other specialists’ opinions are shown after you have given yours.'));
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
          h('p', { class: 'consensus-label' }, 'Consensus diagnosis'),
          h('p', { class: 'consensus-diagnosis' }, diagnosisText(consensus.diagnosis)),
          consensus.agreement !== undefined && consensus.agreement !== null ? h('p', { class: 'muted' }, `${Math.round(consensus.agreement * 100)}% of ${opinions.length} specialists agree`) : null,
        ),
      );
    }
  } else if (user.role === 'clinician') {
    section.append(h('p', { class: 'muted' }, 'The opinions appear here once the specialists agree.'));
  }
  if (opinions.length) section.append(h('div', { class: 'opinions' }, opinions.map((o) => opinionCard(o, user))));
  else if (user.role !== 'clinician') section.append(h('p', { class: 'muted' }, 'No opinions yet.'));
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
    field(label, text, { required }),
    h('div', { class: 'row' }, field('Code (optional)', code, { hint: 'For example L40.0' }), field('Code system', system)),
  );
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
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function opinionForm(c, refresh) {
  const diagnosis = diagnosisInputs('diagnosis', 'Diagnosis', true);
  const differentialList = h('div', { class: 'differential-list' });
  /** @type {ReturnType<typeof diagnosisInputs>[]} */
  const differential = [];
  const addDifferential = () => {
    const d = diagnosisInputs(`differential-${differential.length + 1}`, `Other possible diagnosis ${differential.length + 1}`, false);
    differential.push(d);
    differentialList.append(d.el);
    return d;
  };
  addDifferential();
  const confidence = select('confidence', Object.entries(CONFIDENCE_LABELS), 'medium');
  const management = h('textarea', { name: 'management', rows: '4', maxlength: '5000' });
  const disposition = select('disposition', [['', 'Choose…'], ...Object.entries(DISPOSITION_LABELS)], '');
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-opinion' }, 'Give opinion');
  const form = h(
    'form',
    { class: 'opinion-form', id: 'opinion-form', novalidate: true },
    h('h3', {}, 'Your opinion'),
    diagnosis.el,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Differential diagnosis'),
      differentialList,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => addDifferential().text.focus(),
        },
        'Add another diagnosis',
      ),
    ),
    h('div', { class: 'row' }, field('Confidence', confidence, { required: true }), field('What should happen', disposition, { required: true })),
    field('Management advice', management, { required: true, hint: 'Treatment, tests, what to tell the patient, when to come back' }),
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    /** @type {Array<[HTMLElement, string]>} */
    const missing = [];
    if (!diagnosis.text.value.trim()) missing.push([diagnosis.text, 'Enter a diagnosis.']);
    if (!disposition.value) missing.push([disposition, 'Choose what should happen.']);
    if (!management.value.trim()) missing.push([management, 'Write the management advice.']);
    if (missing.length) {
      mount(errors, notice('error', h('ul', {}, missing.map(([, t]) => h('li', {}, t)))));
      /** @type {[HTMLElement, string]} */ (missing[0])[0].focus();
      return;
    }
    await busy(submit, async () => {
      submit.textContent = 'Sending…';
      try {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/opinions`, {
          diagnosis: diagnosis.value(),
          differential: differential.map((d) => d.value()).filter((d) => d.text),
          confidence: confidence.value,
          management: management.value.trim(),
          disposition: disposition.value,
        });
        claimedCases.remove(c.id);
        await refresh('Your opinion is saved.');
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  return form;
}
