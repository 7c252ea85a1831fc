// A photo viewer for reviewing skin: zoom (wheel, pinch, +/- buttons and keys) around the pointer, pan (drag,
// arrow keys), fit, 1:1 and full screen. It loads what the screen needs and no more: the thumbnail at once, the
// display copy (≤ 2048 px) next, and the full resolution only when zoomed in beyond the display copy's pixels;
// nothing at all until the viewer is on screen. `viewport.dataset.shown` says which of them is on screen.
import { photoBlob, photoUrl, session } from './api.js';
import { h } from './dom.js';
import { dateTime, KIND_LABELS } from './format.js';
import { formatNumber, t } from './i18n.js';

/** @typedef {import('../../types.js').PhotoBody} PhotoBody */
/** @typedef {import('./api.js').PhotoVariant} PhotoVariant */
/** @typedef {{ x: number, y: number }} Point */
/**
 * Where a viewer looks, independent of the photo's size: the zoom as a multiple of "fit", and the point at the
 * viewport's centre as a fraction of the photo's width and height. Linked viewers share it.
 * @typedef {{ zoom: number, cx: number, cy: number }} RelativeView
 */

const MAX_SCALE = 8; // 800 % of the photo's own pixels: enough to see individual pixels
const STEP = 1.25;
const PAN_STEP = 60;
/** What each variant is worth: a viewer never replaces what it shows with a lesser copy. */
const RANK = { thumb: 0, display: 1, full: 2 };

// The display copies seen last, so that paging back and forth through a case's photos does not fetch them again
// on a slow link. Blobs, not object URLs: each viewer makes and revokes its own URL. Kept per session token, so
// that a sign-out (or another person signing in) never gets another session's photos.
const RECENT_DISPLAY_COPIES = 8;
/** @type {Map<string, Promise<Blob>>} */
const recentDisplayCopies = new Map();

/**
 * @param {string} id
 * @param {'display' | 'full'} variant
 * @returns {Promise<Blob>}
 */
function largeCopy(id, variant) {
  if (variant === 'full') return photoBlob(id, 'full'); // too large to keep once another photo is shown
  const key = `${session.token}:${id}`;
  const cached = recentDisplayCopies.get(key);
  if (cached) {
    recentDisplayCopies.delete(key); // re-inserted below as the most recent
    recentDisplayCopies.set(key, cached);
    return cached;
  }
  const promise = photoBlob(id, 'display');
  promise.catch(() => recentDisplayCopies.delete(key));
  recentDisplayCopies.set(key, promise);
  for (const old of recentDisplayCopies.keys()) {
    if (recentDisplayCopies.size <= RECENT_DISPLAY_COPIES) break;
    recentDisplayCopies.delete(old);
  }
  return promise;
}

/**
 * A size in pixels, ungrouped as cameras and image editors write it ("4032 × 3024").
 * @param {number} n
 */
function pixels(n) {
  return formatNumber(n, { useGrouping: false });
}

/**
 * Calls `fn` once, the first time `el` comes near the screen.
 * @param {Element} el
 * @param {() => void} fn
 * @returns {() => void} stops waiting
 */
function whenNearScreen(el, fn) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      fn();
    },
    { rootMargin: '100px' },
  );
  observer.observe(el);
  return () => observer.disconnect();
}

export class PhotoViewer {
  /**
   * @param {{ label?: string, compact?: boolean, onViewChange?: (view: RelativeView) => void }} [options]
   *   onViewChange: called when the person zooms or pans (not when setRelativeView moves it)
   */
  constructor({ label = t('web-photos.viewer.photo'), compact = false, onViewChange } = {}) {
    this.scale = 1;
    this.fitScale = 1;
    this.tx = 0;
    this.ty = 0;
    /** The photo's own size: the layout is always in full-resolution pixels, so every copy lines up. */
    this.natural = { w: 0, h: 0 };
    /** @type {Map<number, Point>} pointer id -> where it is in the viewport */
    this.pointers = new Map();
    this.atFit = true;
    this.loadToken = 0;
    /** @type {PhotoBody | null} */
    this.photo = null;
    /** @type {PhotoVariant | null} what is on screen */
    this.shown = null;
    /** The display copy's pixels per full-resolution pixel (1 when the display copy is the full photo). */
    this.displayRatio = 1;
    /** @type {string | null} the object URL this viewer made for what it shows, revoked when replaced */
    this.ownUrl = null;
    this.fullRequested = false;
    this.onViewChange = onViewChange;
    /** @type {(() => void) | null} */
    this.stopWaiting = null;
    /** @type {RelativeView | null} where to look once the photo is on screen (startAt) */
    this.startView = null;

    this.img = h('img', { class: 'viewer-img', alt: '', draggable: 'false' });
    this.status = h('p', { class: 'viewer-status', role: 'status' });
    this.viewport = h(
      'div',
      {
        class: 'viewer-viewport',
        tabindex: '0',
        role: 'group',
        'aria-roledescription': t('web-photos.viewer.roleDescription'),
        'aria-label': t('web-photos.viewer.help', { label }),
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
    this.fullscreenButton = button(t('web-photos.viewer.fullScreen'), t('web-photos.viewer.fullScreenTitle'), () => this.toggleFullscreen(), 'zoom-fullscreen');
    this.fullscreenButton.setAttribute('aria-pressed', 'false');
    this.toolbar = h(
      'div',
      { class: 'viewer-toolbar', role: 'toolbar', 'aria-label': t('web-photos.viewer.toolbar', { label }) },
      button('−', t('web-photos.viewer.zoomOut'), () => this.zoomBy(1 / STEP), 'zoom-out'),
      this.zoomLabel,
      button('+', t('web-photos.viewer.zoomIn'), () => this.zoomBy(STEP), 'zoom-in'),
      button(t('web-photos.viewer.fit'), t('web-photos.viewer.fitToScreen'), () => this.fit(), 'zoom-fit'),
      button('1:1', t('web-photos.viewer.actualPixels'), () => this.zoomTo(1), 'zoom-actual'),
      this.fullscreenButton,
    );
    this.el = h('figure', { class: ['viewer', compact ? 'viewer-compact' : null] }, this.viewport, this.toolbar, this.caption);

    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    for (const type of /** @type {const} */ (['pointerup', 'pointercancel', 'pointerleave'])) this.viewport.addEventListener(type, (e) => this.onPointerUp(e));
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('dblclick', (e) => {
      const p = this.local(e);
      if (this.atFit) this.zoomAt(Math.max(1, this.fitScale * 2.5) / this.scale, p.x, p.y, true);
      else this.fit(true);
    });
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.natural.w) return;
      // A resize keeps what was looked at (the centre and the zoom relative to fit) where it was.
      const view = this.relativeView();
      this.computeFit();
      if (this.atFit) this.fit();
      else this.setRelativeView(view);
    });
    this.resizeObserver.observe(this.viewport);
    this.onFullscreenChange = () => {
      const on = document.fullscreenElement === this.el;
      this.el.dataset.fullscreen = String(on);
      this.fullscreenButton.setAttribute('aria-pressed', String(on));
      if (on) this.viewport.focus({ preventScroll: true });
    };
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  destroy() {
    this.loadToken += 1; // what is still on its way is dropped
    this.resizeObserver.disconnect();
    this.stopWaiting?.();
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    if (document.fullscreenElement === this.el) document.exitFullscreen().catch(() => {});
    this.setOwnUrl(null);
  }

  /**
   * Shows a photo: the thumbnail at once, then the display copy; nothing is fetched until the viewer is near the
   * screen.
   * @param {PhotoBody} photo
   */
  show(photo) {
    const token = ++this.loadToken;
    if (this.photo?.id !== photo.id) {
      this.atFit = true; // a new photo starts fitted
      this.startView = null;
      this.shown = null;
      this.fullRequested = false;
      this.displayRatio = 1;
      delete this.viewport.dataset.shown;
    }
    this.photo = photo;
    this.el.dataset.photoId = photo.id;
    this.viewport.dataset.loaded = 'false';
    const kind = KIND_LABELS[photo.kind];
    const taken = dateTime(photo.createdAt);
    this.caption.textContent = photo.width
      ? t('web-photos.viewer.captionWithSize', { kind: kind ?? photo.kind, taken, width: pixels(photo.width), height: pixels(photo.height) })
      : t('web-photos.viewer.caption', { kind: kind ?? photo.kind, taken });
    this.img.alt = t('web-photos.viewer.alt', { kind: kind ?? t('web-photos.viewer.photo'), taken });
    this.stopWaiting?.();
    this.stopWaiting = whenNearScreen(this.viewport, () => {
      this.stopWaiting = null;
      void this.load(photo, token);
    });
  }

  /**
   * @param {PhotoBody} photo
   * @param {number} token this load's number: a later show() makes it stale
   */
  async load(photo, token) {
    if (this.shown === 'full' || (this.shown === 'display' && !this.needsFull())) {
      this.loaded();
      return;
    }
    this.setStatus(t('web-common.loading'));
    // The thumbnail is usually cached already (the chooser shows it); it is a preview only until a larger copy lands.
    photoUrl(photo.id, 'thumb')
      .then((url) => (token === this.loadToken ? this.setSource(url, 'thumb', false) : false))
      .catch(() => {});
    try {
      if (this.shown !== 'display') {
        const blob = await largeCopy(photo.id, 'display');
        if (token !== this.loadToken) return;
        if (!(await this.setSource(URL.createObjectURL(blob), 'display', true))) throw new Error('undecodable');
        if (token !== this.loadToken) return;
        this.displayRatio = photo.width ? Math.min(1, this.img.naturalWidth / photo.width) : 1;
      }
      this.loaded();
      if (this.needsFull()) await this.loadFull(token);
    } catch {
      if (token === this.loadToken) this.setStatus(t('web-photos.viewer.failed'));
    }
  }

  loaded() {
    this.setStatus('');
    this.viewport.dataset.loaded = 'true';
  }

  /** @param {number} token */
  async loadFull(token) {
    const photo = this.photo;
    if (!photo || this.fullRequested) return;
    this.fullRequested = true;
    this.setStatus(t('web-photos.viewer.loadingFull'));
    try {
      const blob = await largeCopy(photo.id, 'full');
      if (token !== this.loadToken) return;
      if (!(await this.setSource(URL.createObjectURL(blob), 'full', true))) throw new Error('undecodable');
      if (token === this.loadToken) this.setStatus('');
    } catch {
      this.fullRequested = false; // a later zoom tries again
      if (token === this.loadToken) this.setStatus(t('web-photos.viewer.fullFailed'));
    }
  }

  /** Whether the screen shows more pixels than the display copy has: zoomed in beyond it, or at 1:1. */
  needsFull() {
    return this.displayRatio < 1 && this.scale > this.displayRatio + 1e-6;
  }

  /** @param {string} text empty hides the status */
  setStatus(text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  }

  /** @param {string | null} url */
  setOwnUrl(url) {
    if (this.ownUrl && this.ownUrl !== url) URL.revokeObjectURL(this.ownUrl);
    this.ownUrl = url;
  }

  /**
   * Puts a copy of the photo on screen, unless a better one is there already.
   * @param {string} url
   * @param {PhotoVariant} variant
   * @param {boolean} owned whether this viewer made the URL (and so revokes it once it is replaced)
   * @returns {Promise<boolean>} false when it was not shown (a better copy is there, or it could not be decoded)
   */
  setSource(url, variant, owned) {
    const photo = this.photo;
    if (!photo || (this.shown && RANK[this.shown] >= RANK[variant])) {
      if (owned) URL.revokeObjectURL(url);
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      // A fresh image element for each copy: the old one stays on screen until the new one is decoded.
      const img = /** @type {HTMLImageElement} */ (this.img.cloneNode());
      img.onload = () => {
        if (this.photo !== photo || (this.shown && RANK[this.shown] >= RANK[variant])) {
          if (owned) URL.revokeObjectURL(url);
          resolve(false);
          return;
        }
        this.img.replaceWith(img);
        this.img = img;
        this.setOwnUrl(owned ? url : null);
        this.shown = variant;
        this.viewport.dataset.shown = variant;
        const w = photo.width || img.naturalWidth;
        const hgt = photo.height || img.naturalHeight;
        const first = this.natural.w !== w || this.natural.h !== hgt;
        this.natural = { w, h: hgt };
        img.style.width = `${w}px`;
        img.style.height = `${hgt}px`;
        this.computeFit();
        if (first && this.startView) this.setRelativeView(this.startView);
        else if (first || this.atFit) this.fit();
        else this.apply();
        this.startView = null;
        resolve(true);
      };
      img.onerror = () => {
        if (owned) URL.revokeObjectURL(url);
        resolve(false);
      };
      img.src = url;
    });
  }

  computeFit() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    if (!vw || !vh || !this.natural.w) return;
    // Fit fills the viewport, enlarging a small photo too: on a large screen (or full screen) it is what the eye wants.
    this.fitScale = Math.min(vw / this.natural.w, vh / this.natural.h, MAX_SCALE);
  }

  /** @param {boolean} [byPerson] */
  fit(byPerson = false) {
    this.computeFit();
    this.scale = this.fitScale;
    this.atFit = true;
    this.center();
    this.apply(byPerson);
  }

  center() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    this.tx = (vw - this.natural.w * this.scale) / 2;
    this.ty = (vh - this.natural.h * this.scale) / 2;
  }

  /** @param {number} factor */
  zoomBy(factor) {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    this.zoomAt(factor, vw / 2, vh / 2, true);
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
   * @param {boolean} [byPerson]
   */
  zoomAt(factor, x, y, byPerson = false) {
    if (!this.natural.w) return;
    const min = Math.min(this.fitScale, 1);
    const next = Math.min(MAX_SCALE, Math.max(min, this.scale * factor));
    const ratio = next / this.scale;
    this.tx = x - (x - this.tx) * ratio;
    this.ty = y - (y - this.ty) * ratio;
    this.scale = next;
    this.atFit = Math.abs(next - this.fitScale) < 1e-6;
    this.apply(byPerson);
  }

  /**
   * @param {number} dx
   * @param {number} dy
   */
  panBy(dx, dy) {
    this.tx += dx;
    this.ty += dy;
    this.apply(true);
  }

  /**
   * Looks where `view` says as soon as the photo is on screen: a page drawn again with new photos keeps where
   * the person was looking.
   * @param {RelativeView} view
   */
  startAt(view) {
    if (this.natural.w) this.setRelativeView(view);
    else this.startView = view;
  }

  /** @returns {RelativeView} */
  relativeView() {
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    const w = this.natural.w * this.scale || 1;
    const hh = this.natural.h * this.scale || 1;
    return { zoom: this.scale / (this.fitScale || 1), cx: (vw / 2 - this.tx) / w, cy: (vh / 2 - this.ty) / hh };
  }

  /**
   * Looks where another viewer looks, scaled to this photo's size (linked comparison).
   * @param {RelativeView} view
   */
  setRelativeView({ zoom, cx, cy }) {
    if (!this.natural.w) return;
    this.computeFit();
    const { clientWidth: vw, clientHeight: vh } = this.viewport;
    this.scale = Math.min(MAX_SCALE, Math.max(Math.min(this.fitScale, 1), zoom * this.fitScale));
    this.atFit = Math.abs(this.scale - this.fitScale) < 1e-6;
    this.tx = vw / 2 - cx * this.natural.w * this.scale;
    this.ty = vh / 2 - cy * this.natural.h * this.scale;
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

  /** @param {boolean} [byPerson] the person zoomed or panned: linked viewers follow */
  apply(byPerson = false) {
    this.clamp();
    this.img.style.transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.scale})`;
    this.zoomLabel.textContent = formatNumber(this.scale, { style: 'percent', maximumFractionDigits: 0 });
    this.el.dataset.scale = this.scale.toFixed(4);
    this.el.dataset.zoomed = String(!this.atFit);
    if (this.shown === 'display' && this.needsFull()) void this.loadFull(this.loadToken);
    if (byPerson) this.onViewChange?.(this.relativeView());
  }

  toggleFullscreen() {
    if (document.fullscreenElement === this.el) document.exitFullscreen().catch(() => {});
    else this.el.requestFullscreen?.().catch(() => {});
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
    this.zoomAt(Math.exp(-delta * 0.0015), p.x, p.y, true);
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
      this.zoomAt(now.distance / this.pinch.distance, now.mid.x, now.mid.y, true);
      this.pinch = now;
    }
  }

  /** @param {PointerEvent} event */
  onPointerUp(event) {
    this.pointers.delete(event.pointerId);
    if (this.pointers.size < 2) this.pinch = null;
    if (this.pointers.size === 0) this.viewport.classList.remove('dragging');
  }

  /**
   * The viewer's own keys, when the focus is in it (the page's shortcuts send the same to the main viewer).
   * @param {KeyboardEvent} event
   */
  onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape' && document.fullscreenElement === this.el) {
      event.preventDefault();
      this.toggleFullscreen();
      return;
    }
    // The arrows move the photo only from the photo itself: on the toolbar they move between its buttons.
    /** @type {Record<string, () => void>} */
    const arrows =
      event.target === this.viewport
        ? {
            ArrowLeft: () => this.panBy(PAN_STEP, 0),
            ArrowRight: () => this.panBy(-PAN_STEP, 0),
            ArrowUp: () => this.panBy(0, PAN_STEP),
            ArrowDown: () => this.panBy(0, -PAN_STEP),
          }
        : {};
    const action = arrows[event.key] ?? this.keyActions().find((a) => a.keys.includes(event.key))?.run;
    if (action) {
      event.preventDefault();
      action();
    }
  }

  /**
   * The zoom and full-screen keys with what each does: the viewer's own, and the page's shortcuts for the main viewer.
   * @returns {{ keys: string[], label: string, run: () => void }[]}
   */
  keyActions() {
    return [
      { keys: ['+', '='], label: t('web-photos.viewer.zoomIn'), run: () => this.zoomBy(STEP) },
      { keys: ['-'], label: t('web-photos.viewer.zoomOut'), run: () => this.zoomBy(1 / STEP) },
      { keys: ['0'], label: t('web-photos.viewer.fitToScreen'), run: () => this.fit(true) },
      { keys: ['1'], label: t('web-photos.viewer.actualPixelsKey'), run: () => this.zoomTo(1) },
      { keys: ['f'], label: t('web-photos.viewer.fullScreenKey'), run: () => this.toggleFullscreen() },
    ];
  }
}
