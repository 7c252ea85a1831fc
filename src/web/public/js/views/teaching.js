// The trainee's pages: the teaching collection, a teaching case (blinded until their own opinion, then the panel's
// opinions, consensus and outcome beside theirs) and their agreement with the panels over time. What a trainee
// reads comes from /api/v1/teaching and /api/v1/me/learning only: the server leaves out the referrer, the patient
// reference and the discussion.
import { api, errorMessage } from '../api.js';
import { barChart, legend } from '../chart.js';
import { h, mount, notice } from '../dom.js';
import { handleSubmit } from '../form.js';
import { dateTime, percent, SEX_LABELS } from '../format.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { opinionCard, opinionFields } from './case/opinions.js';
import { compareSection, photosSection } from './case/photos.js';
import { diagnosisText } from './case/shared.js';
import { photoTimeline } from './case/timeline-photos.js';

/** @typedef {import('../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../types.js').TeachingSummaryBody} TeachingSummary */
/** @typedef {import('../../../types.js').TeachingCaseBody} TeachingCase */
/** @typedef {import('../../../types.js').LearningBody} Learning */
/** @typedef {import('../../../types.js').Page<TeachingSummary>} TeachingPage */
/** @typedef {import('../photo-viewer.js').PhotoViewer} PhotoViewer */

const PAGE_SIZE = 25;

/** @param {string} at */
const day = (at) => formatDate(at, { dateStyle: 'medium' });

/**
 * Whether the trainee's diagnosis agreed with the panel's, as a badge.
 * @param {boolean} agrees
 * @param {'list' | 'own'} area the list's words ("You agreed") or the case page's ("Agrees")
 */
function agreementBadge(agrees, area) {
  return h('span', { class: ['badge', agrees ? 'badge-agrees' : 'badge-differs'], dataset: { agrees: String(agrees) } }, t(`web-teaching.${area}.${agrees ? 'agrees' : 'differs'}`));
}

/** @param {TeachingSummary} c */
function teachingRow(c) {
  return h(
    'li',
    { class: 'case-row', dataset: { caseId: c.id } },
    h(
      'a',
      { href: `#/teaching/${encodeURIComponent(c.id)}`, class: 'case-link' },
      h('span', { class: 'case-title' }, t('web-teaching.list.title-row', { code: c.code, site: c.bodySite })),
      h('span', { class: 'case-sub' }, [t('web-case.row.age', { years: c.ageYears }), SEX_LABELS[c.sex], t('common.photos', { count: c.photoCount })].join(' · ')),
      h('span', { class: 'case-badges' }, c.agrees === null ? h('span', { class: 'badge badge-todo' }, t('web-teaching.list.todo')) : agreementBadge(c.agrees, 'list')),
      h('span', { class: 'case-time' }, t('web-teaching.list.added', { date: day(c.addedAt) })),
    ),
  );
}

/**
 * The trainee's home: the teaching collection, the case added last first.
 * @param {HTMLElement} main
 */
export async function teachingListView(main) {
  const list = h('ul', { class: 'case-list', id: 'teaching-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('web-case.list.showMore'));
  const status = h('div');
  /** @type {string | null} */
  let cursor = null;

  async function load() {
    try {
      const page = /** @type {TeachingPage} */ (await api.get('/api/v1/teaching', { limit: PAGE_SIZE, cursor }));
      status.replaceChildren();
      if (cursor === null && page.items.length === 0) mount(status, emptyState(t('web-teaching.list.none')));
      list.append(...page.items.map(teachingRow));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      mount(status, notice('error', errorMessage(error)));
    }
  }
  more.addEventListener('click', () => void load());
  mount(main, pageHeading(t('web-teaching.list.title')), h('p', { class: 'muted' }, t('web-teaching.list.intro')), status, list, more);
  mount(status, loading());
  await load();
}

/** @param {TeachingCase} c */
function clinicalDetails(c) {
  /** @type {Array<[string, string]>} */
  const rows = [
    [t('web-case.details.age'), t('web-case.details.years', { years: c.ageYears })],
    [t('web-case.newCase.sex'), SEX_LABELS[c.sex] ?? c.sex],
    [t('web-case.newCase.skinType'), c.fitzpatrick === null ? t('web-case.newCase.fitzpatrick.none') : String(c.fitzpatrick)],
    [t('web-case.newCase.bodySite'), c.bodySite],
    [t('web-case.details.howLong'), c.durationDays === null ? t('web-case.details.notKnown') : t('web-case.details.days', { days: c.durationDays })],
    [t('web-case.newCase.history'), c.history || '—'],
    [t('web-case.details.question'), c.question],
  ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'details-h' },
    h('h2', { id: 'details-h' }, t('web-case.details.heading')),
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  );
}

/**
 * The trainee's opinion form: the reviewers' fields; what the server sends back is the case with the panel shown.
 * @param {TeachingCase} c
 * @param {(revealed: TeachingCase) => void} onSent
 */
function traineeOpinionForm(c, onSent) {
  const opinion = opinionFields();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-teaching-opinion' }, t('web-teaching.form.submit'));
  const form = h(
    'form',
    { class: 'card opinion-form', id: 'opinion-form', novalidate: true, 'aria-labelledby': 'opinion-form-h' },
    h('h2', { id: 'opinion-form-h' }, t('web-teaching.form.heading')),
    opinion.el,
    h('p', { class: 'muted small' }, t('web-teaching.case.blinded')),
    h('div', { class: 'actions' }, submit),
  );
  handleSubmit(form, {
    submit,
    busyLabel: t('web-review.sending'),
    check: opinion.check,
    fields: opinion.fields,
    send: async () => onSent(/** @type {TeachingCase} */ (await api.post(`/api/v1/teaching/${encodeURIComponent(c.id)}/opinion`, opinion.value()))),
  });
  return form;
}

/**
 * Once the trainee has given theirs: their opinion and whether it agrees, the consensus, each specialist's
 * opinion (unnamed: the trainee is measured against the panel, not a person) and the confirmed outcome.
 * @param {TeachingCase} c
 */
function revealed(c) {
  const own = c.ownOpinion;
  const panel = c.panel;
  if (!own || !panel) return [];
  const outcome = panel.outcome;
  return [
    h(
      'section',
      { class: 'card', id: 'own-opinion', 'aria-labelledby': 'own-opinion-h' },
      h('h2', { id: 'own-opinion-h' }, t('web-teaching.own.heading'), ' ', agreementBadge(own.agrees, 'own')),
      opinionCard(own, t('web-teaching.own.byline', { time: dateTime(own.createdAt) }), true),
    ),
    h(
      'section',
      { class: 'card', id: 'panel', 'aria-labelledby': 'panel-h' },
      h('h2', { id: 'panel-h' }, t('web-teaching.panel.heading')),
      h(
        'div',
        { class: 'consensus', id: 'consensus', role: 'note' },
        h('p', { class: 'consensus-label' }, t('web-review.opinions.consensus')),
        h('p', { class: 'consensus-diagnosis' }, diagnosisText(panel.consensus)),
        panel.agreement !== null ? h('p', { class: 'muted' }, t('web-review.opinions.agreement', { agreement: panel.agreement, count: panel.opinions.length })) : null,
      ),
      h('div', { class: 'opinions' }, panel.opinions.map((o, i) => opinionCard(o, t('web-teaching.panel.specialist', { n: i + 1 }), false))),
    ),
    h(
      'section',
      { class: 'card', id: 'outcome', 'aria-labelledby': 'outcome-h' },
      h('h2', { id: 'outcome-h' }, t('web-teaching.outcome.heading')),
      outcome
        ? [
            h('p', { class: 'consensus-diagnosis' }, diagnosisText(outcome.diagnosis)),
            h('p', { class: 'muted' }, `${t('web-teaching.outcome.kind', { kind: outcome.kind })} · ${t('web-teaching.outcome.recorded', { date: day(outcome.recordedAt) })}`),
            outcome.notes ? h('p', { class: 'prewrap' }, outcome.notes) : null,
          ]
        : h('p', { class: 'muted' }, t('web-teaching.outcome.none')),
    ),
  ];
}

/**
 * A teaching case: photos in the case page's viewer, the clinical details, and the opinion form until the
 * trainee has given theirs; then the panel.
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function teachingCaseView(main, params, ctx) {
  const id = /** @type {string} */ (params.id); // the route is /teaching/:id
  /** @type {PhotoViewer[]} */
  let viewers = [];
  let selectedPhotoId = /** @type {string | null} */ (null);
  const release = () => {
    for (const viewer of viewers) viewer.destroy();
    viewers = [];
  };

  /**
   * @param {TeachingCase} c
   * @param {string} [message] what the trainee just did
   */
  function draw(c, message) {
    release();
    const timeline = photoTimeline(c.photos, { lastVisitAt: null, isReferrer: false });
    const photos = photosSection(timeline, { viewers, selectedId: selectedPhotoId, onSelect: (photo) => (selectedPhotoId = photo.id) });
    const side = c.ownOpinion ? revealed(c) : [traineeOpinionForm(c, (next) => draw(next, t('web-teaching.form.saved')))];
    mount(
      main,
      message ? notice('ok', message) : null,
      h(
        'div',
        { class: 'case-page teaching-case', id: 'teaching-case', dataset: { caseId: c.id, revealed: String(c.panel !== null) } },
        pageHeading(t('web-teaching.list.title-row', { code: c.code, site: c.bodySite }), h('a', { href: '#/teaching', class: 'back-link' }, t('web-teaching.case.back'))),
        h('div', { class: 'case-main' }, photos.el, compareSection(timeline, viewers), clinicalDetails(c)),
        h('div', { class: 'case-side' }, side),
      ),
    );
    if (message) main.querySelector('#own-opinion-h')?.scrollIntoView({ block: 'start' });
  }

  const c = /** @type {TeachingCase} */ (await api.get(`/api/v1/teaching/${encodeURIComponent(id)}`));
  if (!ctx.isCurrent()) return;
  draw(c);
  return release;
}

/**
 * The trainee's own page: how often their diagnosis agreed with the panel's consensus, in all and month by month
 * (bars drawn by the app, and the same figures as a table).
 * @param {HTMLElement} main
 */
export async function learningView(main) {
  const status = h('div');
  mount(main, pageHeading(t('web-teaching.learning.title')), status);
  mount(status, loading());
  const learning = /** @type {Learning} */ (await api.get('/api/v1/me/learning'));
  if (learning.opinions === 0) {
    mount(status, emptyState(t('web-teaching.learning.none'), h('a', { href: '#/teaching', class: 'button primary' }, t('web-teaching.learning.toCases'))));
    return;
  }
  const monthName = (/** @type {string} */ month) => formatDate(`${month}-01T00:00:00Z`, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const months = learning.byMonth;
  const series = [
    { name: t('web-teaching.learning.opinions'), values: months.map((m) => m.opinions), className: 'series-cases' },
    { name: t('web-teaching.learning.agreed'), values: months.map((m) => m.agreed), className: 'series-answered' },
  ];
  const chart = barChart({
    title: t('web-teaching.learning.chartTitle'),
    description: t('web-teaching.learning.chartDescription'),
    labels: months.map((m) => monthName(m.month)),
    series,
  });
  const table = h(
    'table',
    { id: 'learning-table' },
    h('caption', {}, t('web-teaching.learning.tableCaption')),
    h('thead', {}, h('tr', {}, ['month', 'opinions', 'agreed', 'rate'].map((key, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(`web-teaching.learning.${key}`))))),
    h(
      'tbody',
      {},
      months.map((m) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, monthName(m.month)),
          h('td', { class: 'num' }, formatNumber(m.opinions)),
          h('td', { class: 'num' }, formatNumber(m.agreed)),
          h('td', { class: 'num' }, percent(m.opinions ? m.agreed / m.opinions : null)),
        ),
      ),
    ),
  );
  mount(
    status,
    h('p', { class: 'learning-summary', id: 'learning-summary' }, t('web-teaching.learning.summary', { agreed: learning.agreed, opinions: learning.opinions, rate: percent(learning.rate) })),
    h('section', { class: 'card' }, h('figure', { class: 'chart-figure' }, chart, legend(series)), table),
  );
}
