// The body map of the new-case form: the figure from the front and from the back (body-map-drawing.js), each
// region a radio of one radio group. Choosing a region writes its name, in the reader's language, into the
// "Where on the body" text and keeps its SNOMED CT code (the table in src/cases/body-sites.ts) for the case.
//
// The text stays the person's: they may add to it ("left forearm, extensor side") and the code stays, since the
// region is still right; emptying the text, or "Clear", drops the code (a code with no words beside it would say
// more than the referrer does). Clear also empties the text while it is still the region's name as written here.
//
// Keyboard: Tab enters the map at the chosen region (or the first), the arrow keys move between the regions in
// reading order without choosing (each choice rewrites the text), Space or Enter chooses, Home/End go to the
// first/last. Left and right are the patient's: the map says so, with R and L beside each view.
import { BODY_SITES } from 'virtual:body-sites';
import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { NEAR_SIDE, VIEW_HEIGHT, VIEW_WIDTH, VIEWS } from './body-map-drawing.js';

/** @typedef {import('virtual:body-sites').BodySite} BodySite */
/** @typedef {import('virtual:body-sites').BodyMapSide} BodyMapSide */
/** @typedef {import('./body-map-drawing.js').Shape} Shape */

const SVG_NS = 'http://www.w3.org/2000/svg';
const MIRROR = `matrix(-1 0 0 1 ${VIEW_WIDTH} 0)`;
const FAR_SIDE = /** @type {const} */ ({ front: 'left', back: 'right' });
const SITES = new Map(BODY_SITES.map((site) => [site.region, site]));

/**
 * An SVG element (h() makes HTML ones).
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {...Node} children
 */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** @param {string} region */
export function bodySiteName(region) {
  return t(`web-record.site.${region}`);
}

/**
 * @param {Shape} shape
 * @param {boolean} mirrored
 * @param {string} cls
 */
function shapeElement(shape, mirrored, cls) {
  /** @type {Record<string, string | number>} */
  const attrs = shape.ellipse
    ? { cx: shape.ellipse[0], cy: shape.ellipse[1], rx: shape.ellipse[2], ry: shape.ellipse[3] }
    : { d: shape.d ?? '' };
  if (mirrored) attrs.transform = MIRROR;
  return svg(shape.ellipse ? 'ellipse' : 'path', { ...attrs, class: cls });
}

/**
 * The regions in the order the arrow keys take: the front, then the back, each head to toe as the table lists
 * them, and of a right/left pair the one drawn on the viewer's left first.
 * @returns {BodySite[]}
 */
function readingOrder() {
  /** @type {BodySite[]} */
  const order = [];
  for (const view of /** @type {BodyMapSide[]} */ (['front', 'back'])) {
    const sites = BODY_SITES.filter((site) => site.side === view);
    for (let i = 0; i < sites.length; i += 1) {
      const site = /** @type {BodySite} */ (sites[i]);
      const next = sites[i + 1];
      const pairOf = (/** @type {BodySite} */ s) => s.region.replace(/^(left|right)-/, '');
      if (next && site.region !== pairOf(site) && pairOf(site) === pairOf(next) && site.region.startsWith(`${FAR_SIDE[view]}-`)) {
        order.push(next, site);
        i += 1;
      } else order.push(site);
    }
  }
  return order;
}

/**
 * The body map for a "where on the body" text input.
 * @param {HTMLInputElement} input the free text it fills
 */
export function bodyMap(input) {
  const order = readingOrder();
  /** @type {Map<string, SVGGElement>} each region's radio */
  const radios = new Map();
  /** @type {BodySite | null} */
  let chosen = null;
  /** The text as the last choice wrote it. */
  let written = '';

  const titleId = uid('body-map');
  const noteId = uid('body-map-note');

  /** @param {BodyMapSide} view */
  function drawView(view) {
    const ring = svg('g', { class: 'bm-ring', 'aria-hidden': 'true' });
    const [near, far] = [NEAR_SIDE[view], FAR_SIDE[view]];
    const label = (/** @type {string} */ text, /** @type {number} */ x) => svg('text', { x, y: 16, class: 'bm-side', 'aria-hidden': 'true', 'text-anchor': 'middle' }, document.createTextNode(text));
    const drawing = svg(
      'svg',
      // tabindex -1: Chromium would otherwise stop on the drawing itself with Tab, as on a scrolling box.
      { viewBox: `0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`, role: 'group', 'aria-label': t(`web-record.map.${view}`), class: 'bm-figure', tabindex: '-1' },
      label(t(`web-record.map.${near}Short`), 14),
      label(t(`web-record.map.${far}Short`), VIEW_WIDTH - 14),
    );
    for (const shape of VIEWS[view]) {
      for (const mirrored of shape.pair ? [false, true] : [false]) {
        const region = shape.region?.replace('{near}', mirrored ? far : near).replace('{far}', mirrored ? near : far) ?? null;
        const site = region === null ? undefined : SITES.get(region);
        if (!site) {
          drawing.append(shapeElement(shape, mirrored, shape.feature ? 'bm-feature' : 'bm-body'));
        } else if (site.side !== view) {
          // Another place to click for a region of the other view (the back of the thigh): the mouse's only.
          const alias = shapeElement(shape, mirrored, 'bm-shape bm-alias');
          alias.dataset.region = site.region;
          drawing.append(alias);
        } else {
          let radio = radios.get(site.region);
          if (!radio) {
            radio = /** @type {SVGGElement} */ (
              svg('g', { id: uid('bm-region'), class: 'bm-region', role: 'radio', 'aria-checked': 'false', 'aria-label': bodySiteName(site.region), tabindex: '-1' })
            );
            radio.dataset.region = site.region;
            radios.set(site.region, radio);
            drawing.append(radio);
          }
          radio.append(shapeElement(shape, mirrored, 'bm-shape'));
        }
      }
    }
    // The keyboard's focus drawn over the neighbours (a shape's own outline would hide under theirs): a copy of
    // the region's outline on top of the drawing.
    drawing.append(ring);
    drawing.addEventListener('focusin', (event) => {
      const radio = event.target instanceof SVGGElement ? event.target : null;
      if (!radio || !radio.matches(':focus-visible')) return;
      ring.replaceChildren(
        ...[...radio.children].map((shape) => {
          const copy = /** @type {Element} */ (shape.cloneNode(false));
          copy.setAttribute('class', 'bm-ring-shape');
          return copy;
        }),
      );
    });
    drawing.addEventListener('focusout', () => ring.replaceChildren());
    return h('figure', { class: 'bm-view' }, drawing, h('figcaption', { 'aria-hidden': 'true' }, t(`web-record.map.${view}`)));
  }

  const group = h(
    'div',
    { role: 'radiogroup', class: 'bm-group', 'aria-labelledby': titleId, 'aria-describedby': noteId },
    h('p', { class: 'bm-title', id: titleId }, t('web-record.map.title')),
    h('p', { class: 'hint', id: noteId }, t('web-record.map.hint', { field: t('web-case.newCase.bodySite') })),
    h('div', { class: 'bm-views' }, drawView('front'), drawView('back')),
  );
  const said = h('p', { class: 'bm-chosen-text', 'aria-live': 'polite' });
  const clear = h('button', { type: 'button', class: 'secondary btn-small', hidden: true }, t('web-record.map.clear'));
  const el = h('div', { class: 'body-map' }, group, h('div', { class: 'bm-chosen' }, said, clear));

  /** The radio Tab lands on: the chosen one, else the first. */
  function tabStop() {
    const first = /** @type {BodySite} */ (order[0]);
    return /** @type {SVGGElement} */ (radios.get((chosen ?? first).region));
  }

  /** @param {SVGGElement} radio */
  function rove(radio) {
    for (const other of radios.values()) other.setAttribute('tabindex', other === radio ? '0' : '-1');
  }

  /** @param {BodySite | null} site */
  function show(site) {
    chosen = site;
    for (const [region, radio] of radios) radio.setAttribute('aria-checked', String(region === site?.region));
    for (const shape of el.querySelectorAll('.bm-shape')) {
      const region = shape instanceof SVGElement ? (shape.dataset.region ?? shape.parentElement?.dataset.region) : undefined;
      shape.classList.toggle('bm-chosen-shape', region === site?.region);
    }
    said.textContent = site ? t('web-record.map.chosen', { site: bodySiteName(site.region), code: site.code }) : '';
    clear.hidden = !site;
    rove(tabStop());
  }

  /** @param {string} region */
  function choose(region) {
    const site = SITES.get(region);
    if (!site) return;
    written = bodySiteName(region);
    input.value = written;
    show(site);
  }

  group.addEventListener('click', (event) => {
    const shape = event.target instanceof Element ? event.target.closest('[data-region]') : null;
    const region = shape instanceof SVGElement ? shape.dataset.region : undefined;
    if (region) choose(region);
  });

  group.addEventListener('keydown', (event) => {
    const current = event.target instanceof SVGGElement ? event.target.dataset.region : undefined;
    if (current === undefined) return;
    const index = order.findIndex((site) => site.region === current);
    /** @type {number | null} */
    let next = null;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') next = (index + 1) % order.length;
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') next = (index - 1 + order.length) % order.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = order.length - 1;
    else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      choose(current);
      return;
    } else return;
    event.preventDefault();
    const radio = /** @type {SVGGElement} */ (radios.get(/** @type {BodySite} */ (order[next]).region));
    rove(radio);
    radio.focus();
  });

  // Leaving the map, Tab comes back to the chosen region rather than the last one passed over.
  group.addEventListener('focusout', (event) => {
    if (!(event.relatedTarget instanceof Node && group.contains(event.relatedTarget))) rove(tabStop());
  });

  clear.addEventListener('click', () => {
    if (input.value.trim() === written) input.value = '';
    show(null);
    tabStop().focus();
  });

  input.addEventListener('input', () => {
    if (chosen && !input.value.trim()) show(null);
  });

  show(null);
  return {
    el,
    /** The chosen region's SNOMED CT concept id, if one is chosen. */
    code: () => chosen?.code ?? null,
    focus: () => tabStop().focus(),
  };
}
