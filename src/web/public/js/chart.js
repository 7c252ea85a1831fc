// Small SVG charts drawn by hand, no library: grouped bars and a line over the same labels. Each chart is
// an image with a title and a description for screen readers, and each bar or point has its own <title>,
// which browsers show on hover. Colours come from styles.css (classes), since the CSP allows no inline style.

import { h } from './dom.js';
import { formatNumber, t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// The drawing's own units: the <svg> scales to its box (width 100%, height from the aspect ratio).
const WIDTH = 560;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 34, left: 56 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** At most this many labels along the bottom, so that they never overlap. */
const MAX_LABELS = 8;

/**
 * @typedef {object} Series
 * @property {string} name what the series counts, e.g. "Cases"
 * @property {readonly (number | null)[]} values one per label; null: no value (a gap in a line)
 * @property {string} className the colour class (styles.css)
 */

/**
 * @typedef {object} ChartSpec
 * @property {string} title read first by a screen reader, e.g. "Cases and answers per week, Pigmented lesions"
 * @property {string} description what the chart shows, in a sentence or two
 * @property {readonly string[]} labels one per bar group or point, e.g. the weeks
 * @property {readonly Series[]} series
 * @property {(value: number) => string} [format] how a value reads (axis and titles); default: a count
 * @property {(max: number) => number} [ceiling] the top of the value axis for the largest value; default: niceCeiling
 */

let chartCounter = 0;

/**
 * An SVG element, the way dom.js's h() makes HTML ones: attributes set as given (null, undefined and false
 * left out), children appended, strings as text.
 * @param {string} tag
 * @param {Record<string, string | number | null | undefined | false>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {SVGElement}
 */
function s(tag, attrs = {}, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/**
 * The top of the value axis: the first of 1, 2, 2.5, 5 times a power of ten at or above `max`.
 * @param {number} max
 */
export function niceCeiling(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

// Tops of a time axis in minutes whose quarters read well too: 1 h (15 min), 2 h, 4 h, 8 h, 12 h (3 h), 1 d (6 h)...
const MINUTE_CEILINGS = [4, 8, 20, 40, 60, 120, 240, 480, 720, 1440, 2880, 5760, 11_520];

/**
 * The top of an axis of minutes: a whole number of hours or days whose quarters are too.
 * @param {number} max
 */
export function minutesCeiling(max) {
  const found = MINUTE_CEILINGS.find((top) => top >= max);
  return found ?? 5760 * niceCeiling(max / 5760);
}

/**
 * The frame every chart shares: the <svg> with its title and description, the horizontal grid with the value
 * axis, and the labels along the bottom. `draw` adds the marks.
 * @param {ChartSpec} spec
 * @param {string} kind a class for the <svg>: 'chart-bars' or 'chart-line'
 * @param {(scale: { y: (value: number) => number, band: number, format: (value: number) => string }) => Node[]} draw
 */
function frame(spec, kind, draw) {
  chartCounter += 1;
  const titleId = `chart-${chartCounter}-title`;
  const descId = `chart-${chartCounter}-desc`;
  const format = spec.format ?? ((/** @type {number} */ value) => formatNumber(value));
  const values = spec.series.flatMap((series) => series.values.filter((v) => v !== null));
  const top = (spec.ceiling ?? niceCeiling)(Math.max(0, ...values.map(Number)));
  const y = (/** @type {number} */ value) => MARGIN.top + PLOT_H - (value / top) * PLOT_H;
  const n = Math.max(1, spec.labels.length);
  const band = PLOT_W / n;

  /** @type {Node[]} */
  const grid = [];
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = top * fraction;
    const at = y(value);
    grid.push(s('line', { class: fraction === 0 ? 'chart-axis' : 'chart-grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: at, y2: at }));
    // Whole numbers only on a count axis of small values (no "0.5 cases").
    if (spec.format || Number.isInteger(value)) grid.push(s('text', { class: 'chart-tick', x: MARGIN.left - 6, y: at, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, format(value)));
  }
  const every = Math.ceil(n / MAX_LABELS);
  const labels = spec.labels.map((label, i) =>
    i % every === 0 ? s('text', { class: 'chart-label', x: MARGIN.left + band * (i + 0.5), y: HEIGHT - MARGIN.bottom + 18, 'text-anchor': 'middle' }, label) : null,
  );

  return s(
    'svg',
    { class: ['chart', kind].join(' '), viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': descId, preserveAspectRatio: 'xMidYMid meet' },
    s('title', { id: titleId }, spec.title),
    s('desc', { id: descId }, spec.description),
    s('g', { 'aria-hidden': 'true' }, ...grid, ...labels),
    s('g', {}, ...draw({ y, band, format })),
  );
}

/**
 * Bars side by side for each label, one per series.
 * @param {ChartSpec} spec
 * @returns {SVGElement}
 */
export function barChart(spec) {
  return frame(spec, 'chart-bars', ({ y, band, format }) => {
    const k = Math.max(1, spec.series.length);
    const groupWidth = band * 0.8;
    const barWidth = groupWidth / k;
    return spec.labels.map((label, i) =>
      s(
        'g',
        {},
        ...spec.series.map((series, j) => {
          const value = series.values[i] ?? 0;
          const top = y(value);
          // A zero still gets a sliver, so that an empty week reads as "nothing" rather than "missing".
          const height = Math.max(1, y(0) - top);
          return s(
            'rect',
            { class: `chart-bar ${series.className}`, x: MARGIN.left + band * i + (band - groupWidth) / 2 + barWidth * j, y: y(0) - height, width: Math.max(1, barWidth - 1), height },
            s('title', {}, t('web-admin.chart.point', { label, series: series.name, value: format(value) })),
          );
        }),
      ),
    );
  });
}

/**
 * One line per series through its points; a null breaks the line (no value that week).
 * @param {ChartSpec} spec
 * @returns {SVGElement}
 */
export function lineChart(spec) {
  return frame(spec, 'chart-line', ({ y, band, format }) =>
    spec.series.flatMap((series) => {
      const x = (/** @type {number} */ i) => MARGIN.left + band * (i + 0.5);
      let d = '';
      let drawing = false;
      /** @type {Node[]} */
      const points = [];
      series.values.forEach((value, i) => {
        if (value === null) {
          drawing = false;
          return;
        }
        d += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
        drawing = true;
        points.push(s('circle', { class: `chart-point ${series.className}`, cx: x(i).toFixed(1), cy: y(value).toFixed(1), r: 3.5 }, s('title', {}, t('web-admin.chart.point', { label: spec.labels[i] ?? '', series: series.name, value: format(value) }))));
      });
      return d ? [s('path', { class: `chart-path ${series.className}`, d }), ...points] : points;
    }),
  );
}

/**
 * A legend for the series of a chart: a swatch in the series' colour and its name.
 * @param {readonly Pick<Series, 'name' | 'className'>[]} series
 */
export function legend(series) {
  return h('ul', { class: 'chart-legend' }, series.map((item) => h('li', {}, h('span', { class: ['chart-swatch', item.className], 'aria-hidden': 'true' }), item.name)));
}
