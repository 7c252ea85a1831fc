// A photo viewer for reviewing skin at full resolution: zoom (wheel, pinch, +/- buttons and keys)
// around the pointer, pan (drag, arrow keys), fit and 1:1. The image is the full sanitized photo.
import { photoUrl } from './api.js';
import { h } from './dom.js';
import { dateTime, KIND_LABELS } from './format.js';

/** @typedef {import('../../types.js').PhotoBody} PhotoBody */
/** @typedef {{ x: number, y: number }} Point */

const MAX_SCALE = 8; // 800 % of the photo's own pixels: enough to see individual pixels
const STEP = 1.25;
const PAN_STEP = 60;

export class PhotoViewer {
  /** @param {{ label?: string, compact?: boolean }} [options] */
  constructor({ label = 'Photo', compact = false } = {}) {
    this.scale = 1;
    this.fitScale = 1;
    this.tx = 0;
    this.ty = 0;
    this.natural = { w: 0, h: 0 };
    /** @type {Map<number, Point>} pointer id -> where it is in the viewport */
    this.pointers = new Map();
    this.atFit = true;
    this.loadToken = 0;

    this.img = h('img', { class: 'viewer-img', alt: '', draggable: 'false' });
    this.status = h('p', { class: 'viewer-status', role: 'status' });
    this.viewport = h(
      'div',
      {
        class: 'viewer-viewport',
        tabindex: '0',
        role: 'group',
        'aria-roledescription': 'zoomable photo',
        'aria-label': `${label}. Use plus and minus to zoom, arrow keys to move, 0 to fit.`,
      },
      this.img,
      this.status,
    );
    this.zoomLabel = h('output', { class: 'zoom-level', 'aria-live': 'polite' }, '');
    this.caption = h('figcaption', { class: 'viewer-caption' });
    /**
     * @param {string} text
     * @param {string} title
     * @param {() => void} onclick
     * @param {string} cls
     */
    const button = (text, title, onclick, cls) => h('button', { type: 'button', class: ['icon-button', cls], title, 'aria-label': title, onclick }, text);
    this.toolbar = h(
      'div',
      { class: 'viewer-toolbar', role: 'toolbar', 'aria-label': `${label} zoom` },
      button('−', 'Zoom out', () => this.zoomBy(1 / STEP), 'zoom-out'),
      this.zoomLabel,
      button('+', 'Zoom in', () => this.zoomBy(STEP), 'zoom-in'),
      button('Fit', 'Fit to screen', () => this.fit(), 'zoom-fit'),
      button('1:1', 'Actual pixels', () => this.zoomTo(1), 'zoom-actual'),
    );
    this.el = h('figure', { class: ['viewer', compact ? 'viewer-compact' : null] }, this.viewport, this.toolbar, this.caption);

    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    for (const type of /** @type {const} */ (['pointerup', 'pointercancel', 'pointerleave'])) this.viewport.addEventListener(type, (e) => this.onPointerUp(e));
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('dblclick', (e) => {
      const p = this.local(e);
      if (this.atFit) this.zoomAt(Math.max(1, this.fitScale * 2.5) / this.scale, p.x, p.y);
      else this.fit();
    });
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.natural.w) return;
      this.computeFit();
      if (this.atFit) this.fit();
      else this.apply();
    });
    this.resizeObserver.observe(this.viewport);
  }

  destroy() {
    this.resizeObserver.disconnect();
  }

  /**
   * Shows a photo: the thumbnail at once (when cached), then the full-resolution bytes.
   * @param {PhotoBody} photo
   */
  async show(photo) {
    const token = ++this.loadToken;
    if (this.photo?.id !== photo.id) this.atFit = true; // a new photo starts fitted
    this.photo = photo;
    this.el.dataset.photoId = photo.id;
    this.viewport.dataset.loaded = 'false';
    this.caption.textContent = `${KIND_LABELS[photo.kind] ?? photo.kind} · ${dateTime(photo.createdAt)}${photo.width ? ` · ${photo.width} × ${photo.height} px` : ''}`;
    this.img.alt = `${KIND_LABELS[photo.kind] ?? 'Photo'} taken ${dateTime(photo.createdAt)}`;
    this.status.textContent = 'Loading full resolution…';
    this.status.hidden = false;
    // A quick preview from the thumbnail while the full photo arrives; never after it (fetches can finish
    // in either order, and a late thumbnail must not replace the full-resolution image).
    let fullArrived = false;
    photoUrl(photo.id, 'thumb')
      .then((url) => {
        if (token === this.loadToken && !fullArrived) this.setSource(url, photo, false);
      })
      .catch(() => {});
    try {
      const url = await photoUrl(photo.id, 'full');
      if (token !== this.loadToken) return;
      fullArrived = true;
      const shown = await this.setSource(url, photo, true);
      if (token !== this.loadToken) return;
      if (!shown) throw new Error('undecodable');
      this.status.hidden = true;
      this.viewport.dataset.loaded = 'true';
    } catch {
      if (token === this.loadToken) this.status.textContent = 'This photo could not be loaded.';
    }
  }

  /**
   * @param {string} url
   * @param {PhotoBody} photo
   * @param {boolean} full
   * @returns {Promise<boolean>} false when the browser could not decode it
   */
  setSource(url, photo, full) {
    return new Promise((resolve) => {
      const done = () => {
        // Layout is always in the photo's full pixel size, so the preview and the full image line up.
        const w = photo.width || this.img.naturalWidth;
        const hgt = photo.height || this.img.naturalHeight;
        const first = !this.natural.w || this.natural.w !== w || this.natural.h !== hgt || !full;
        this.natural = { w, h: hgt };
        this.img.style.width = `${w}px`;
        this.img.style.height = `${hgt}px`;
        this.computeFit();
        if (first && this.atFit) this.fit();
        else this.apply();
        resolve(true);
      };
      this.img.onload = done;
      this.img.onerror = () => resolve(false);
      this.img.src = url;
      if (this.img.complete && this.img.naturalWidth) done();
    });
  }

  computeFit() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    if (!vw || !vh || !this.natural.w) return;
    this.fitScale = Math.min(vw / this.natural.w, vh / this.natural.h, 1);
  }

  fit() {
    this.computeFit();
    this.scale = this.fitScale;
    this.atFit = true;
    this.center();
    this.apply();
  }

  center() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    this.tx = (vw - this.natural.w * this.scale) / 2;
    this.ty = (vh - this.natural.h * this.scale) / 2;
  }

  /** @param {number} factor */
  zoomBy(factor) {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    this.zoomAt(factor, vw / 2, vh / 2);
  }

  /** @param {number} scale */
  zoomTo(scale) {
    this.zoomBy(scale / this.scale);
  }

  /**
   * Zooms by `factor` keeping the point (x, y) of the viewport still.
   * @param {number} factor
   * @param {number} x
   * @param {number} y
   */
  zoomAt(factor, x, y) {
    if (!this.natural.w) return;
    const min = Math.min(this.fitScale, 1);
    const next = Math.min(MAX_SCALE, Math.max(min, this.scale * factor));
    const ratio = next / this.scale;
    this.tx = x - (x - this.tx) * ratio;
    this.ty = y - (y - this.ty) * ratio;
    this.scale = next;
    this.atFit = Math.abs(next - this.fitScale) < 1e-6;
    this.apply();
  }

  /**
   * @param {number} dx
   * @param {number} dy
   */
  panBy(dx, dy) {
    this.tx += dx;
    this.ty += dy;
    this.apply();
  }

  /** Keeps the photo on screen: centred when smaller than the viewport, edges never pulled inside it. */
  clamp() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    const w = this.natural.w * this.scale;
    const hh = this.natural.h * this.scale;
    this.tx = w <= vw ? (vw - w) / 2 : Math.min(0, Math.max(vw - w, this.tx));
    this.ty = hh <= vh ? (vh - hh) / 2 : Math.min(0, Math.max(vh - hh, this.ty));
  }

  apply() {
    this.clamp();
    this.img.style.transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.scale})`;
    const pct = Math.round(this.scale * 100);
    this.zoomLabel.textContent = `${pct}%`;
    this.el.dataset.scale = this.scale.toFixed(4);
    this.el.dataset.zoomed = String(!this.atFit);
  }

  /**
   * @param {MouseEvent} event
   * @returns {Point}
   */
  local(event) {
    const rect = this.viewport.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  /** @param {WheelEvent} event */
  onWheel(event) {
    event.preventDefault();
    const p = this.local(event);
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    this.zoomAt(Math.exp(-delta * 0.0015), p.x, p.y);
  }

  /** @param {PointerEvent} event */
  onPointerDown(event) {
    this.viewport.setPointerCapture?.(event.pointerId);
    this.pointers.set(event.pointerId, this.local(event));
    this.viewport.classList.add('dragging');
    if (this.pointers.size === 2) this.pinch = this.pinchState();
  }

  pinchState() {
    // Only called with two pointers down.
    const [a, b] = /** @type {[Point, Point]} */ ([...this.pointers.values()]);
    return { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  }

  /** @param {PointerEvent} event */
  onPointerMove(event) {
    if (!this.pointers.has(event.pointerId)) return;
    const previous = /** @type {Point} */ (this.pointers.get(event.pointerId));
    const p = this.local(event);
    this.pointers.set(event.pointerId, p);
    if (this.pointers.size === 1) {
      this.atFit = false;
      this.panBy(p.x - previous.x, p.y - previous.y);
    } else if (this.pointers.size === 2 && this.pinch) {
      const now = this.pinchState();
      this.tx += now.mid.x - this.pinch.mid.x;
      this.ty += now.mid.y - this.pinch.mid.y;
      this.zoomAt(now.distance / this.pinch.distance, now.mid.x, now.mid.y);
      this.pinch = now;
    }
  }

  /** @param {PointerEvent} event */
  onPointerUp(event) {
    this.pointers.delete(event.pointerId);
    if (this.pointers.size < 2) this.pinch = null;
    if (this.pointers.size === 0) this.viewport.classList.remove('dragging');
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    /** @type {Record<string, () => void>} */
    const keys = {
      ArrowLeft: () => this.panBy(PAN_STEP, 0),
      ArrowRight: () => this.panBy(-PAN_STEP, 0),
      ArrowUp: () => this.panBy(0, PAN_STEP),
      ArrowDown: () => this.panBy(0, -PAN_STEP),
      '+': () => this.zoomBy(STEP),
      '=': () => this.zoomBy(STEP),
      '-': () => this.zoomBy(1 / STEP),
      _: () => this.zoomBy(1 / STEP),
      0: () => this.fit(),
      1: () => this.zoomTo(1),
    };
    const action = keys[event.key];
    if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      action();
    }
  }
}

/**
 * A row of thumbnail buttons; `onSelect(photo)` when one is chosen. Returns { el, select(id) }.
 * @param {readonly PhotoBody[]} photos
 * @param {(photo: PhotoBody) => void} onSelect
 * @param {{ label?: string }} [options]
 */
export function thumbnailStrip(photos, onSelect, { label = 'Photos' } = {}) {
  const buttons = photos.map((photo, index) => {
    const img = h('img', { alt: '', class: 'thumb-img', width: '96', height: '96' });
    photoUrl(photo.id, 'thumb')
      .then((url) => {
        img.src = url;
      })
      .catch(() => img.classList.add('thumb-failed'));
    const button = h(
      'button',
      {
        type: 'button',
        class: 'thumb',
        'aria-pressed': 'false',
        'aria-label': `${KIND_LABELS[photo.kind] ?? 'Photo'} ${index + 1}, ${dateTime(photo.createdAt)}`,
        dataset: { photoId: photo.id },
        onclick: () => {
          select(photo.id);
          onSelect(photo);
        },
      },
      img,
      h('span', { class: 'thumb-kind' }, KIND_LABELS[photo.kind] ?? photo.kind),
    );
    return button;
  });
  /** @param {string} id */
  function select(id) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.photoId === id));
  }
  const el = h('div', { class: 'thumb-strip', role: 'group', 'aria-label': label }, buttons);
  return { el, select };
}
