// The admin's statistics page: turnaround per queue for a period (one table), then each queue week by
// week as charts (GET /api/v1/stats?by=week), with the same figures as a table for screen readers.
import { api, errorMessage } from '../api.js';
import { barChart, legend, lineChart, minutesCeiling } from '../chart.js';
import { field, h, mount, notice } from '../dom.js';
import { handleSubmit } from '../form.js';
import { dateTime, minutes, percent } from '../format.js';
import { emptyState, loading, pageHeading } from '../ui.js';
import { table } from './admin.js';

/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').Stats} Stats */
/** @typedef {import('../../../types.js').QueueStats} QueueStats */
/** @typedef {import('../../../types.js').WeekStats} WeekStats */

const DAY_MS = 86_400_000;

/** @param {Date} d */
function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

/** @param {number} value */
const count = (value) => new Intl.NumberFormat().format(value);

/**
 * A week by its Monday (the API's weeks start at 00:00 UTC, so the date is read in UTC too).
 * @param {string} start
 */
const weekLabel = (start) => new Date(start).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** @param {string} start */
const weekLongLabel = (start) => `Week of ${new Date(start).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })}`;

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
      num(count(q.cases)),
      num(count(q.answered)),
      num(count(q.open)),
      num(minutes(q.oldestWaitingMinutes)),
      num(minutes(q.medianMinutesToFirstOpinion)),
      num(minutes(q.p90MinutesToFirstOpinion)),
      num(minutes(q.medianMinutesToAnswer)),
      num(minutes(q.p90MinutesToAnswer)),
      num(percent(q.agreementRate)),
    ),
  );
  const wrap = table(`Turnaround of the cases created from ${dateTime(stats.from)} to ${dateTime(stats.to)}`, [], rows, { id: 'stats-table' });
  // Two header rows: the waits are grouped under what is waited for, so each column heading stays short.
  const head = /** @type {HTMLTableSectionElement} */ (wrap.querySelector('thead'));
  const th = (/** @type {string} */ text, /** @type {Record<string, string>} */ attrs = {}) => h('th', { scope: 'col', ...attrs }, text);
  mount(
    head,
    h(
      'tr',
      {},
      th('Queue', { rowspan: '2' }),
      th('Cases', { rowspan: '2', class: 'num' }),
      th('Answered', { rowspan: '2', class: 'num' }),
      th('Open', { rowspan: '2', class: 'num' }),
      th('Oldest waiting', { rowspan: '2', class: 'num' }),
      th('First opinion', { colspan: '2', scope: 'colgroup', class: 'group' }),
      th('Answer', { colspan: '2', scope: 'colgroup', class: 'group' }),
      th('Agreement', { rowspan: '2', class: 'num' }),
    ),
    h('tr', {}, th('median', { class: 'num' }), th('90%', { class: 'num', title: '90th percentile' }), th('median', { class: 'num' }), th('90%', { class: 'num', title: '90th percentile' })),
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
  const span = weeks.length ? `${weeks.length} weeks from ${weekLongLabel(weeks[0]?.start ?? '')} to ${weekLongLabel(weeks[weeks.length - 1]?.start ?? '')}` : 'no weeks';
  const busiest = weeks.reduce((best, w) => (w.cases > (best?.cases ?? -1) ? w : best), /** @type {WeekStats | undefined} */ (undefined));
  const answeredWeeks = weeks.filter((w) => w.medianMinutesToAnswer !== null);
  const slowest = answeredWeeks.reduce((worst, w) => (Number(w.medianMinutesToAnswer) > Number(worst?.medianMinutesToAnswer ?? -1) ? w : worst), /** @type {WeekStats | undefined} */ (undefined));
  const volumeSeries = [
    { name: 'Cases', values: weeks.map((w) => w.cases), className: 'series-cases' },
    { name: 'Answered', values: weeks.map((w) => w.answered), className: 'series-answered' },
  ];
  const waitSeries = [{ name: 'Median time to answer', values: weeks.map((w) => w.medianMinutesToAnswer), className: 'series-wait' }];

  const volume = barChart({
    title: `Cases and answers per week, ${name}`,
    description: `${span}: ${count(q.cases)} cases, ${count(q.answered)} answered.${busiest && busiest.cases > 0 ? ` Busiest: ${weekLongLabel(busiest.start)}, ${count(busiest.cases)} cases.` : ''}`,
    labels,
    series: volumeSeries,
  });
  const wait = lineChart({
    title: `Median time to answer per week, ${name}`,
    description: answeredWeeks.length
      ? `${span}; weeks without an answer are left out. Longest: ${weekLongLabel(slowest?.start ?? '')}, ${minutes(slowest?.medianMinutesToAnswer)}.`
      : `${span}: no case created in these weeks has been answered yet.`,
    labels,
    series: waitSeries,
    format: minutes,
    ceiling: minutesCeiling,
  });

  const figures = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, `Week by week, ${name}`),
    h('thead', {}, h('tr', {}, ['Week of', 'Cases', 'Answered', 'Median time to answer'].map((text, i) => h('th', { scope: 'col', class: i ? 'num' : null }, text)))),
    h(
      'tbody',
      {},
      weeks.map((w) => h('tr', {}, h('th', { scope: 'row' }, weekLongLabel(w.start).replace(/^Week of /, '')), h('td', { class: 'num' }, count(w.cases)), h('td', { class: 'num' }, count(w.answered)), h('td', { class: 'num' }, minutes(w.medianMinutesToAnswer)))),
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
    h('details', { class: 'stats-figures' }, h('summary', {}, 'The figures as a table'), h('div', { class: 'table-wrap' }, figures)),
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
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Show');
  const form = h('form', { class: 'card filters', id: 'stats-form' }, h('div', { class: 'row' }, field('From', from), field('To (inclusive)', to)), submit);
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
      const stats = /** @type {Stats} */ (await api.get('/api/v1/stats', query));
      const active = stats.queues.filter((q) => q.cases > 0);
      const quiet = stats.queues.filter((q) => q.cases === 0).map((q) => queueName(q.slug));
      mount(
        result,
        summaryTable(stats, queueName),
        h('h2', {}, 'Week by week'),
        active.length ? active.map((q) => queueWeeks(queueName(q.slug), q)) : emptyState('No case was created in this period.'),
        active.length && quiet.length ? h('p', { class: 'muted' }, `No cases in this period: ${quiet.join(', ')}.`) : null,
      );
    } catch (error) {
      result.replaceChildren();
      throw error;
    }
  }
  handleSubmit(form, {
    submit,
    busyLabel: 'Loading…',
    check: () => (from.value && to.value && from.value > to.value ? [[from, 'The first day must not be after the last.']] : []),
    fields: { from, to },
    send: load,
  });
  mount(main, pageHeading('Statistics'), form, result);
  await load().catch((error) => mount(result, notice('error', errorMessage(error))));
}
