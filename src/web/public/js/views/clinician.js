// The clinician's pages: the case list (also used by reviewers and admins) and the new-case form.
import { api, ApiError, errorMessage, session, upload } from '../api.js';
import { bodyMap } from '../body-map.js';
import { field, h, mount, notice, select, uid } from '../dom.js';
import { handleSubmit } from '../form.js';
import { caseRow } from '../case-row.js';
import { SEX_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../format.js';
import { coalesce, onLive } from '../live.js';
import { photoPicker, progressBar } from '../photo-picker.js';
import { navigate } from '../router.js';
import { t } from '../i18n.js';
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
  const title = t('web-case.list.title', { role: role ?? 'admin' });
  const statusFilter = select('status', [['', t('web-case.list.allStatuses')], ...Object.entries(STATUS_LABELS)], '');
  statusFilter.id = 'status-filter';
  const list = h('ul', { class: 'case-list', id: 'case-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('web-case.list.showMore'));
  const status = h('div');
  /** @type {string | null} */
  let cursor = null;
  // Each new drawing of the list (a filter changed, a live update) takes a number: a slower answer to an earlier
  // request is dropped, so a filter changed while the page was still loading does not list its cases twice.
  let drawing = 0;

  /** @param {CasePage | null} page */
  function showEmpty(page) {
    if (page?.items.length) return;
    mount(
      status,
      emptyState(
        statusFilter.value ? t('web-case.list.noneWithStatus') : t('web-case.list.none', { role: role ?? 'admin' }),
        role === 'clinician' ? h('a', { href: '#/cases/new', class: 'button primary' }, t('web-common.nav.newCase')) : null,
      ),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      drawing += 1;
      cursor = null;
      list.replaceChildren();
      mount(status, loading());
    }
    const mine = drawing;
    try {
      const page = /** @type {CasePage | null} */ (await api.get('/api/v1/cases', { status: statusFilter.value, limit: PAGE_SIZE, cursor }));
      if (mine !== drawing) return;
      status.replaceChildren();
      if (reset) showEmpty(page);
      list.append(...(page?.items ?? []).map(caseRow));
      cursor = page?.nextCursor ?? null;
      more.hidden = !cursor;
    } catch (error) {
      if (mine === drawing) mount(status, notice('error', errorMessage(error)));
    }
  }

  // A case sent or changed (here or elsewhere): the rows shown are drawn again in place, as many as were shown.
  async function reload() {
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, list.children.length));
    const mine = ++drawing;
    const page = /** @type {CasePage | null} */ (await api.get('/api/v1/cases', { status: statusFilter.value, limit }));
    if (mine !== drawing) return;
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
    pageHeading(title, role === 'clinician' ? h('a', { href: '#/cases/new', class: 'button primary', id: 'new-case' }, t('web-common.nav.newCase')) : null),
    h('div', { class: 'filters' }, field(t('web-case.list.show'), statusFilter)),
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

/** Fitzpatrick skin types, worded in web-case as newCase.fitzpatrick.<type> ('' = not recorded). */
const FITZPATRICK = ['', '1', '2', '3', '4', '5', '6'];

/** Suggestions for "Where on the body" (web-case newCase.site.<key>), in the clinician's language. */
const BODY_SITES = ['face', 'scalp', 'neck', 'chest', 'abdomen', 'back', 'upperArm', 'forearm', 'hand', 'fingers', 'genitals', 'thigh', 'lowerLeg', 'foot', 'toes', 'nails', 'mouth'];

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
    sex: select('sex', [['', t('web-case.newCase.choose')], ...Object.entries(SEX_LABELS)], ''),
    fitzpatrick: select('fitzpatrick', FITZPATRICK.map((type) => [type, t(`web-case.newCase.fitzpatrick.${type || 'none'}`)]), ''),
    bodySite: input({ type: 'text', name: 'bodySite', list: 'body-sites', maxlength: '200', autocomplete: 'off' }),
    durationDays: input({ type: 'number', name: 'durationDays', min: '0', max: '36500', step: '1', inputmode: 'numeric' }),
    history: h('textarea', { name: 'history', rows: '4', maxlength: '5000' }),
    question: h('textarea', { name: 'question', rows: '3', maxlength: '2000' }),
    urgency: select('urgency', Object.entries(URGENCY_LABELS), 'routine'),
    queue: select('queue', [['', t('web-case.newCase.anyQueue')], ...queues.map((q) => [q.slug, q.name])], ''),
  };
  const map = bodyMap(c.bodySite);
  const consent = consentQuestions();
  const picker = photoPicker({ legend: t('web-case.newCase.photos') });
  const progress = progressBar(t('web-case.newCase.uploading'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-case' }, t('web-case.newCase.send'));

  const form = h(
    'form',
    { class: 'card case-form', id: 'new-case-form', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, t('web-case.newCase.patient')),
      field(t('web-case.newCase.patientRef'), c.patientRef, { required: true, hint: t('web-case.newCase.patientRefHint') }),
      h('div', { class: 'row' }, field(t('web-case.newCase.age'), c.ageYears, { required: true }), field(t('web-case.newCase.sex'), c.sex, { required: true })),
      field(t('web-case.newCase.skinType'), c.fitzpatrick, { hint: t('web-case.newCase.optional') }),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('web-case.newCase.problem')),
      field(t('web-case.newCase.bodySite'), c.bodySite, { required: true, hint: t('web-case.newCase.bodySiteHint') }),
      h('datalist', { id: 'body-sites' }, BODY_SITES.map((site) => h('option', { value: t(`web-case.newCase.site.${site}`) }))),
      map.el,
      field(t('web-case.newCase.duration'), c.durationDays, { hint: t('web-case.newCase.durationHint') }),
      field(t('web-case.newCase.history'), c.history, { hint: t('web-case.newCase.historyHint') }),
      field(t('web-case.newCase.question'), c.question, { required: true }),
      h('div', { class: 'row' }, field(t('web-case.newCase.urgency'), c.urgency, { required: true }), field(t('web-case.newCase.queue'), c.queue, { hint: t('web-case.newCase.optional') })),
    ),
    picker.el,
    consent.el,
    progress.el,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/cases', class: 'button secondary' }, t('web-case.newCase.cancel'))),
  );

  /** @returns {import('../form.js').Problem[]} */
  function check() {
    /** @type {import('../form.js').Problem[]} */
    const problems = [];
    const ref = c.patientRef.value.trim();
    if (!ref) problems.push([c.patientRef, t('web-case.newCase.patientRefMissing')]);
    else if (!/^[A-Za-z0-9][A-Za-z0-9._/#-]*$/.test(ref)) problems.push([c.patientRef, t('web-case.newCase.patientRefInvalid')]);
    const age = c.ageYears.value;
    if (age === '' || !Number.isInteger(Number(age)) || Number(age) < 0 || Number(age) > 130) problems.push([c.ageYears, t('web-case.newCase.ageInvalid')]);
    if (!c.sex.value) problems.push([c.sex, t('web-case.newCase.sexMissing')]);
    if (!c.bodySite.value.trim()) problems.push([c.bodySite, t('web-case.newCase.bodySiteMissing')]);
    const days = c.durationDays.value;
    if (days !== '' && (!Number.isInteger(Number(days)) || Number(days) < 0)) problems.push([c.durationDays, t('web-case.newCase.durationInvalid')]);
    if (!c.question.value.trim()) problems.push([c.question, t('web-case.newCase.questionMissing')]);
    if (picker.count === 0) problems.push([picker, t('web-case.newCase.photosMissing')]);
    if (!consent.teleconsultation.checked) problems.push([consent, t('web-record.consent.teleconsultationMissing')]);
    return problems;
  }

  function caseJson() {
    /**
     * The `case` part of POST /api/v1/cases (CaseInputSchema in src/routes/cases.ts).
     * @type {{ patientRef: string, ageYears: number, sex: string, bodySite: string, history: string, question: string,
     *   urgency: string, fitzpatrick?: number, durationDays?: number, queue?: string, bodySiteCode?: string,
     *   consent: { teleconsultation: true, teaching: boolean } }}
     */
    const body = {
      patientRef: c.patientRef.value.trim(),
      ageYears: Number(c.ageYears.value),
      sex: c.sex.value,
      bodySite: c.bodySite.value.trim(),
      history: c.history.value.trim(),
      question: c.question.value.trim(),
      urgency: c.urgency.value,
      // Sent only once the box is ticked (check() stops the form before).
      consent: { teleconsultation: true, teaching: consent.teaching() },
    };
    const bodySiteCode = map.code();
    if (bodySiteCode) body.bodySiteCode = bodySiteCode;
    if (c.fitzpatrick.value) body.fitzpatrick = Number(c.fitzpatrick.value);
    if (c.durationDays.value !== '') body.durationDays = Number(c.durationDays.value);
    if (c.queue.value) body.queue = c.queue.value;
    return body;
  }

  handleSubmit(form, {
    submit,
    busyLabel: t('web-case.newCase.sending'),
    summaryId: 'case-errors',
    check,
    // The `case` part's fields by the names the API gives in its errors ("case/patientRef must…").
    fields: { ...c, photos: picker, kinds: picker, bodySiteCode: map, consent },
    async send() {
      const data = new FormData();
      data.append('case', JSON.stringify(caseJson()));
      picker.appendTo(data);
      progress.set(0);
      const created = /** @type {CaseBody} */ (await upload('/api/v1/cases', data, (fraction) => progress.set(fraction)));
      picker.clear();
      flashNext('ok', t('web-case.newCase.sent'));
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    },
    // Everything typed stays in the form; only the messages change.
    failed(error) {
      progress.done();
      if (!(error instanceof ApiError && PHOTO_ERRORS.has(error.code))) return;
      const suspects = picker.unreadable();
      return [[picker, t('web-case.newCase.photoRefused', { reason: errorMessage(error), count: suspects.length, photos: suspects.join(', ') })]];
    },
  });

  mount(main, pageHeading(t('web-common.nav.newCase')), h('p', { class: 'muted' }, t('web-case.newCase.sendingAs', { name: session.user?.name ?? '' })), form);
  return () => picker.clear();
}

/**
 * The consent asked before a case is sent: to the teleconsultation itself (without it nothing is sent), and to
 * teaching, answered "No" until the person says otherwise.
 */
function consentQuestions() {
  const teleconsultation = h('input', { type: 'checkbox', name: 'consentTeleconsultation', required: true });
  const teachingName = uid('teaching');
  const hintId = `${teachingName}-hint`;
  const teachingYes = h('input', { type: 'radio', name: teachingName, value: 'yes' });
  const teachingNo = h('input', { type: 'radio', name: teachingName, value: 'no', checked: true });
  const el = h(
    'fieldset',
    { class: 'consent' },
    h('legend', {}, t('web-record.consent.legend')),
    h('label', { class: 'check required-check' }, teleconsultation, h('span', {}, t('web-record.consent.teleconsultation'))),
    h(
      'fieldset',
      { class: 'consent-teaching', 'aria-describedby': hintId },
      h('legend', {}, t('web-record.consent.teaching')),
      h('p', { class: 'hint', id: hintId }, t('web-record.consent.teachingHint')),
      h('label', { class: 'check' }, teachingNo, h('span', {}, t('web-record.consent.teachingNo'))),
      h('label', { class: 'check' }, teachingYes, h('span', {}, t('web-record.consent.teachingYes'))),
    ),
  );
  return {
    el,
    teleconsultation,
    teaching: () => teachingYes.checked,
    focus: () => teleconsultation.focus(),
  };
}
