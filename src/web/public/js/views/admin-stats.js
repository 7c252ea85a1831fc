// The admin's statistics page: turnaround per queue for a period (one table), then each queue week by
// week as charts (GET /api/v1/stats?by=week), with the same figures as a table for screen readers.
import { api, errorMessage } from '../api.js';
import { barChart, legend, lineChart, minutesCeiling } from '../chart.js';
import { field, h, mount, notice } from '../dom.js';
import { handleSubmit } from '../form.js';
import { minutes, percent } from '../format.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { table } from './admin.js';
import { queueConcordanceCell, queueConcordanceHeading, reviewersConcordance } from './concordance.js';

/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').Stats} Stats */
/** @typedef {import('../../../types.js').QueueStats} QueueStats */
/** @typedef {import('../../../types.js').WeekStats} WeekStats */

const DAY_MS = 86_400_000;

/** @param {Date} d */
function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

/**
 * A week by its Monday (the API's weeks start at 00:00 UTC, so the date is read in UTC too).
 * @param {string} start
 */
const weekLabel = (start) => formatDate(start, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** @param {string} start the Monday in full, "November 30, 2026" */
const weekDay = (start) => formatDate(start, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** The moments that bound the period, as the rest of the app shows a time. */
const moment = (/** @type {string} */ value) => formatDate(value, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * The table of every queue: counts, waits and agreement, numbers right-aligned for comparing down a column.
 * @param {Stats} stats
 * @param {(slug: string) => string} queueName
 */
function summaryTable(stats, queueName) {
  const num = (/** @type {string} */ text) => h('td', { class: 'num' }, text);
  const rows = stats.queues.map((q) =>
    h(
      'tr',
      { dataset: { queue: q.slug } },
      h('th', { scope: 'row' }, queueName(q.slug)),
      num(formatNumber(q.cases)),
      num(formatNumber(q.answered)),
      num(formatNumber(q.open)),
      num(minutes(q.oldestWaitingMinutes)),
      num(minutes(q.medianMinutesToFirstOpinion)),
      num(minutes(q.p90MinutesToFirstOpinion)),
      num(minutes(q.medianMinutesToAnswer)),
      num(minutes(q.p90MinutesToAnswer)),
      num(percent(q.agreementRate)),
      queueConcordanceCell(q),
    ),
  );
  const wrap = table(t('web-admin.stats.caption', { from: moment(stats.from), to: moment(stats.to) }), [], rows, { id: 'stats-table' });
  // Two header rows: the waits are grouped under what is waited for, so each column heading stays short.
  const head = /** @type {HTMLTableSectionElement} */ (wrap.querySelector('thead'));
  const th = (/** @type {string} */ text, /** @type {Record<string, string>} */ attrs = {}) => h('th', { scope: 'col', ...attrs }, text);
  mount(
    head,
    h(
      'tr',
      {},
      th(t('web-admin.stats.queue'), { rowspan: '2' }),
      th(t('web-admin.stats.cases'), { rowspan: '2', class: 'num' }),
      th(t('web-admin.stats.answered'), { rowspan: '2', class: 'num' }),
      th(t('web-admin.stats.open'), { rowspan: '2', class: 'num' }),
      th(t('web-admin.stats.oldest-waiting'), { rowspan: '2', class: 'num' }),
      th(t('web-admin.stats.first-opinion'), { colspan: '2', scope: 'colgroup', class: 'group' }),
      th(t('web-admin.stats.answer'), { colspan: '2', scope: 'colgroup', class: 'group' }),
      th(t('web-admin.stats.agreement'), { rowspan: '2', class: 'num' }),
      queueConcordanceHeading(),
    ),
    h('tr', {}, ...[1, 2].flatMap(() => [th(t('web-admin.stats.median'), { class: 'num' }), th(t('web-admin.stats.p90'), { class: 'num', title: t('web-admin.stats.p90-title') })])),
  );
  wrap.classList.add('stats-table-wrap');
  return wrap;
}

/**
 * One queue's weeks: cases and answers as bars, the median time to answer as a line, and the same figures
 * as a table (collapsed) for whoever reads rather than looks.
 * @param {string} name
 * @param {QueueStats} q
 */
function queueWeeks(name, q) {
  const weeks = q.weeks ?? [];
  const labels = weeks.map((w) => weekLabel(w.start));
  const span = weeks.length ? t('web-admin.stats.span', { weeks: weeks.length, first: weekDay(weeks[0]?.start ?? ''), last: weekDay(weeks[weeks.length - 1]?.start ?? '') }) : t('web-admin.stats.no-weeks');
  const busiest = weeks.reduce((best, w) => (w.cases > (best?.cases ?? -1) ? w : best), /** @type {WeekStats | undefined} */ (undefined));
  const answeredWeeks = weeks.filter((w) => w.medianMinutesToAnswer !== null);
  const slowest = answeredWeeks.reduce((worst, w) => (Number(w.medianMinutesToAnswer) > Number(worst?.medianMinutesToAnswer ?? -1) ? w : worst), /** @type {WeekStats | undefined} */ (undefined));
  const volumeSeries = [
    { name: t('web-admin.stats.cases'), values: weeks.map((w) => w.cases), className: 'series-cases' },
    { name: t('web-admin.stats.answered'), values: weeks.map((w) => w.answered), className: 'series-answered' },
  ];
  const waitSeries = [{ name: t('web-admin.stats.median-to-answer'), values: weeks.map((w) => w.medianMinutesToAnswer), className: 'series-wait' }];

  const volume = barChart({
    title: t('web-admin.stats.volume-title', { queue: name }),
    description: [
      t('web-admin.stats.volume-description', { span, cases: q.cases, answered: q.answered }),
      busiest && busiest.cases > 0 ? t('web-admin.stats.busiest', { week: weekDay(busiest.start), cases: busiest.cases }) : '',
    ].join(''),
    labels,
    series: volumeSeries,
  });
  const wait = lineChart({
    title: t('web-admin.stats.wait-title', { queue: name }),
    description: answeredWeeks.length
      ? t('web-admin.stats.wait-description', { span, week: weekDay(slowest?.start ?? ''), time: minutes(slowest?.medianMinutesToAnswer) })
      : t('web-admin.stats.wait-none', { span }),
    labels,
    series: waitSeries,
    format: minutes,
    ceiling: minutesCeiling,
  });

  const figures = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, t('web-admin.stats.figures-caption', { queue: name })),
    h('thead', {}, h('tr', {}, ['week', 'cases', 'answered', 'median-to-answer'].map((key, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(`web-admin.stats.${key}`))))),
    h(
      'tbody',
      {},
      weeks.map((w) => h('tr', {}, h('th', { scope: 'row' }, weekDay(w.start)), h('td', { class: 'num' }, formatNumber(w.cases)), h('td', { class: 'num' }, formatNumber(w.answered)), h('td', { class: 'num' }, minutes(w.medianMinutesToAnswer)))),
    ),
  );

  return h(
    'section',
    { class: 'card stats-queue', dataset: { queue: q.slug }, 'aria-label': name },
    h('h3', {}, name),
    h(
      'div',
      { class: 'stats-charts' },
      h('figure', { class: 'chart-figure' }, volume, h('figcaption', {}, legend(volumeSeries))),
      h('figure', { class: 'chart-figure' }, wait, h('figcaption', {}, legend(waitSeries))),
    ),
    h('details', { class: 'stats-figures' }, h('summary', {}, t('web-admin.stats.figures')), h('div', { class: 'table-wrap' }, figures)),
  );
}

/**
 * @param {HTMLElement} main
 */
export async function statsView(main) {
  const today = new Date();
  const from = h('input', { type: 'date', name: 'from', value: isoDay(new Date(today.getTime() - 8 * 7 * DAY_MS)) });
  const to = h('input', { type: 'date', name: 'to', value: isoDay(today) });
  const result = h('div', { id: 'stats-result' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('web-admin.stats.show'));
  const form = h('form', { class: 'card filters', id: 'stats-form' }, h('div', { class: 'row' }, field(t('web-admin.filters.from'), from), field(t('web-admin.filters.to'), to)), submit);
  // Names, not slugs: the queues as people know them.
  const queues = /** @type {Queue[]} */ (await api.get('/api/v1/queues').catch(() => []));
  /** @type {Map<string, string>} */
  const names = new Map(queues.map((q) => [q.slug, q.name]));
  const queueName = (/** @type {string} */ slug) => names.get(slug) ?? slug;

  async function load() {
    mount(result, loading());
    try {
      // `to` is the end of the chosen day, so "today" includes today's cases.
      const query = {
        from: from.value ? new Date(`${from.value}T00:00:00`).toISOString() : undefined,
        to: to.value ? new Date(new Date(`${to.value}T00:00:00`).getTime() + DAY_MS).toISOString() : undefined,
        by: 'week',
      };
      // The reviewers' figures cover all their opinions, whatever the period.
      const [stats, reviewers] = await Promise.all([/** @type {Promise<Stats>} */ (api.get('/api/v1/stats', query)), reviewersConcordance()]);
      const active = stats.queues.filter((q) => q.cases > 0);
      const quiet = stats.queues.filter((q) => q.cases === 0).map((q) => queueName(q.slug));
      mount(
        result,
        summaryTable(stats, queueName),
        h('h2', {}, t('web-admin.stats.week-by-week')),
        active.length ? active.map((q) => queueWeeks(queueName(q.slug), q)) : emptyState(t('web-admin.stats.none-created')),
        active.length && quiet.length ? h('p', { class: 'muted' }, t('web-admin.stats.quiet', { queues: quiet.join(t('web-admin.list-separator')) })) : null,
        reviewers,
      );
    } catch (error) {
      result.replaceChildren();
      throw error;
    }
  }
  handleSubmit(form, {
    submit,
    busyLabel: t('web-admin.loading'),
    check: () => (from.value && to.value && from.value > to.value ? [[from, t('web-admin.filters.day-order')]] : []),
    fields: { from, to },
    send: load,
  });
  mount(main, pageHeading(t('web-admin.stats.heading')), form, result);
  await load().catch((error) => mount(result, notice('error', errorMessage(error))));
}
