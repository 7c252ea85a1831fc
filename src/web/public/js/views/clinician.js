// The clinician's pages: the case list (also used by reviewers and admins) and the new-case form.
import { api, ApiError, errorMessage, session, upload } from '../api.js';
import { field, h, mount, notice, select } from '../dom.js';
import { handleSubmit } from '../form.js';
import { caseRow } from '../case-row.js';
import { SEX_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../format.js';
import { coalesce, onLive } from '../live.js';
import { photoPicker, progressBar } from '../photo-picker.js';
import { navigate } from '../router.js';
import { emptyState, flashNext, loading, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../types.js').CaseSummaryBody} CaseSummaryBody */
/** @typedef {import('../../../types.js').Page<CaseSummaryBody>} CasePage */

const PAGE_SIZE = 25;
/** The most rows GET /api/v1/cases gives at once. */
const MAX_PAGE = 200;

const PHOTO_ERRORS = new Set(['UNSUPPORTED_MEDIA_TYPE', 'IMAGE_TOO_LARGE', 'FILE_TOO_LARGE', 'IMAGE_CORRUPT']);

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} _params
 * @param {ViewContext} ctx
 */
export async function casesListView(main, _params, ctx) {
  const role = ctx.user?.role;
  const title = role === 'clinician' ? 'My cases' : role === 'reviewer' ? 'Cases in my queues' : 'All cases';
  const statusFilter = select('status', [['', 'All statuses'], ...Object.entries(STATUS_LABELS)], '');
  statusFilter.id = 'status-filter';
  const list = h('ul', { class: 'case-list', id: 'case-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  const status = h('div');
  /** @type {string | null} */
  let cursor = null;

  /** @param {CasePage | null} page */
  function showEmpty(page) {
    if (page?.items.length) return;
    mount(
      status,
      emptyState(
        statusFilter.value ? 'No cases with this status.' : role === 'clinician' ? 'You have not sent any cases yet.' : 'No cases yet.',
        role === 'clinician' ? h('a', { href: '#/cases/new', class: 'button primary' }, 'New case') : null,
      ),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      cursor = null;
      list.replaceChildren();
      mount(status, loading());
    }
    try {
      const page = /** @type {CasePage | null} */ (await api.get('/api/v1/cases', { status: statusFilter.value, limit: PAGE_SIZE, cursor }));
      status.replaceChildren();
      if (reset) showEmpty(page);
      list.append(...(page?.items ?? []).map(caseRow));
      cursor = page?.nextCursor ?? null;
      more.hidden = !cursor;
    } catch (error) {
      mount(status, notice('error', errorMessage(error)));
    }
  }

  // A case sent or changed (here or elsewhere): the rows shown are drawn again in place, as many as were shown.
  async function reload() {
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, list.children.length));
    const page = /** @type {CasePage | null} */ (await api.get('/api/v1/cases', { status: statusFilter.value, limit }));
    status.replaceChildren();
    showEmpty(page);
    list.replaceChildren(...(page?.items ?? []).map(caseRow));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
  }
  const live = coalesce(reload);
  const stopListening = [onLive('case.created', live.schedule), onLive('case.updated', live.schedule), onLive('resync', live.schedule)];

  statusFilter.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));

  mount(
    main,
    pageHeading(title, role === 'clinician' ? h('a', { href: '#/cases/new', class: 'button primary', id: 'new-case' }, 'New case') : null),
    h('div', { class: 'filters' }, field('Show', statusFilter)),
    status,
    list,
    more,
  );
  await load(true);
  return () => {
    live.cancel();
    for (const stop of stopListening) stop();
  };
}

const FITZPATRICK = [
  ['', 'Not recorded'],
  ['1', 'I · always burns, never tans'],
  ['2', 'II · usually burns, tans minimally'],
  ['3', 'III · sometimes burns, tans uniformly'],
  ['4', 'IV · burns minimally, always tans'],
  ['5', 'V · very rarely burns, tans darkly'],
  ['6', 'VI · never burns'],
];

const BODY_SITES = ['Face', 'Scalp', 'Neck', 'Chest', 'Abdomen', 'Back', 'Upper arm', 'Forearm', 'Hand', 'Fingers', 'Genitals', 'Thigh', 'Lower leg', 'Foot', 'Toes', 'Nails', 'Mouth'];

/** @param {HTMLElement} main */
export async function newCaseView(main) {
  /** @type {Queue[]} */
  let queues = [];
  try {
    queues = /** @type {Queue[]} */ (await api.get('/api/v1/queues'));
  } catch {
    // The queue is optional; without the list the service routes the case itself.
  }

  const input = (/** @type {import('../../../types.js').Attrs} */ attrs) => h('input', attrs);
  const c = {
    patientRef: input({ type: 'text', name: 'patientRef', maxlength: '64', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' }),
    ageYears: input({ type: 'number', name: 'ageYears', min: '0', max: '130', step: '1', inputmode: 'numeric' }),
    sex: select('sex', [['', 'Choose…'], ...Object.entries(SEX_LABELS)], ''),
    fitzpatrick: select('fitzpatrick', FITZPATRICK, ''),
    bodySite: input({ type: 'text', name: 'bodySite', list: 'body-sites', maxlength: '200', autocomplete: 'off' }),
    durationDays: input({ type: 'number', name: 'durationDays', min: '0', max: '36500', step: '1', inputmode: 'numeric' }),
    history: h('textarea', { name: 'history', rows: '4', maxlength: '5000' }),
    question: h('textarea', { name: 'question', rows: '3', maxlength: '2000' }),
    urgency: select('urgency', Object.entries(URGENCY_LABELS), 'routine'),
    queue: select('queue', [['', 'Let the service choose'], ...queues.map((q) => [q.slug, q.name])], ''),
  };
  const picker = photoPicker({ legend: 'Photos of the lesion' });
  const progress = progressBar('Uploading photos');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-case' }, 'Send case');

  const form = h(
    'form',
    { class: 'card case-form', id: 'new-case-form', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Patient'),
      field('Patient reference', c.patientRef, { required: true, hint: "Your clinic's own reference number, without spaces. Never the patient's name." }),
      h('div', { class: 'row' }, field('Age (years)', c.ageYears, { required: true }), field('Sex', c.sex, { required: true })),
      field('Skin type (Fitzpatrick)', c.fitzpatrick, { hint: 'Optional' }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'The problem'),
      field('Where on the body', c.bodySite, { required: true, hint: 'For example: left forearm' }),
      h('datalist', { id: 'body-sites' }, BODY_SITES.map((s) => h('option', { value: s }))),
      field('How long has it been there (days)', c.durationDays, { hint: 'Leave empty if not known' }),
      field('History', c.history, { hint: 'Symptoms, changes, treatments tried, relevant conditions' }),
      field('Your question for the specialist', c.question, { required: true }),
      h('div', { class: 'row' }, field('Urgency', c.urgency, { required: true }), field('Specialist queue', c.queue, { hint: 'Optional' })),
    ),
    picker.el,
    progress.el,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/cases', class: 'button secondary' }, 'Cancel')),
  );

  /** @returns {import('../form.js').Problem[]} */
  function check() {
    /** @type {import('../form.js').Problem[]} */
    const problems = [];
    const ref = c.patientRef.value.trim();
    if (!ref) problems.push([c.patientRef, 'Enter the patient reference.']);
    else if (!/^[A-Za-z0-9][A-Za-z0-9._/#-]*$/.test(ref)) problems.push([c.patientRef, 'The patient reference may hold letters, digits and . _ / # - only, without spaces.']);
    const age = c.ageYears.value;
    if (age === '' || !Number.isInteger(Number(age)) || Number(age) < 0 || Number(age) > 130) problems.push([c.ageYears, 'Enter the age in whole years (0 to 130).']);
    if (!c.sex.value) problems.push([c.sex, 'Choose the sex (or Unknown).']);
    if (!c.bodySite.value.trim()) problems.push([c.bodySite, 'Say where on the body the lesion is.']);
    const days = c.durationDays.value;
    if (days !== '' && (!Number.isInteger(Number(days)) || Number(days) < 0)) problems.push([c.durationDays, 'Enter how many days it has been there, as a whole number.']);
    if (!c.question.value.trim()) problems.push([c.question, 'Write your question for the specialist.']);
    if (picker.count === 0) problems.push([picker, 'Add at least one photo.']);
    return problems;
  }

  function caseJson() {
    /**
     * The `case` part of POST /api/v1/cases (CaseInputSchema in src/routes/cases.ts).
     * @type {{ patientRef: string, ageYears: number, sex: string, bodySite: string, history: string, question: string,
     *   urgency: string, fitzpatrick?: number, durationDays?: number, queue?: string }}
     */
    const body = {
      patientRef: c.patientRef.value.trim(),
      ageYears: Number(c.ageYears.value),
      sex: c.sex.value,
      bodySite: c.bodySite.value.trim(),
      history: c.history.value.trim(),
      question: c.question.value.trim(),
      urgency: c.urgency.value,
    };
    if (c.fitzpatrick.value) body.fitzpatrick = Number(c.fitzpatrick.value);
    if (c.durationDays.value !== '') body.durationDays = Number(c.durationDays.value);
    if (c.queue.value) body.queue = c.queue.value;
    return body;
  }

  handleSubmit(form, {
    submit,
    busyLabel: 'Sending…',
    summaryId: 'case-errors',
    check,
    // The `case` part's fields by the names the API gives in its errors ("case/patientRef must…").
    fields: { ...c, photos: picker, kinds: picker },
    async send() {
      const data = new FormData();
      data.append('case', JSON.stringify(caseJson()));
      picker.appendTo(data);
      progress.set(0);
      const created = /** @type {CaseBody} */ (await upload('/api/v1/cases', data, (fraction) => progress.set(fraction)));
      picker.clear();
      flashNext('ok', 'Case sent. You will see the answer here.');
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    },
    // Everything typed stays in the form; only the messages change.
    failed(error) {
      progress.done();
      if (!(error instanceof ApiError && PHOTO_ERRORS.has(error.code))) return;
      const suspects = picker.unreadable();
      return [[picker, `${errorMessage(error)} ${suspects.length ? `Check photo ${suspects.join(', ')}: it could not be shown here either. ` : ''}Remove that photo or choose another, then send again. What you typed is kept.`]];
    },
  });

  mount(main, pageHeading('New case'), h('p', { class: 'muted' }, `Sending as ${session.user?.name ?? ''}. Fields marked * are needed.`), form);
  return () => picker.clear();
}
