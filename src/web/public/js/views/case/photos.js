// The case's photos in a zoomable viewer, with first and follow-up photos side by side.
import { field, h, uid } from '../../dom.js';
import { shortDateTime } from '../../format.js';
import { PhotoViewer, thumbnailStrip } from '../../photo-viewer.js';

/** @typedef {import('../../../../types.js').PhotoBody} PhotoBody */

/**
 * @param {PhotoBody[]} photos
 * @param {PhotoViewer[]} viewers the page's viewers, to destroy when it is left
 */
export function photosSection(photos, viewers) {
  const section = h('section', { class: 'card photos-section', 'aria-labelledby': 'photos-h' }, h('h2', { id: 'photos-h' }, `Photos (${photos.length})`));
  if (photos.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No photos.'));
    return section;
  }
  const viewer = new PhotoViewer({ label: 'Selected photo' });
  viewer.el.id = 'main-viewer';
  viewers.push(viewer);
  const strip = thumbnailStrip(photos, (photo) => viewer.show(photo), { label: 'All photos, oldest first' });
  section.append(viewer.el, strip.el);
  const first = /** @type {PhotoBody} */ (photos[0]);
  strip.select(first.id);
  viewer.show(first);

  const originals = photos.filter((p) => p.kind !== 'followup');
  const followups = photos.filter((p) => p.kind === 'followup');
  if (originals.length && followups.length) section.append(compareSection(originals, followups, viewers));
  return section;
}

/**
 * First photos and follow-up photos side by side, each pane choosing by date.
 * @param {PhotoBody[]} originals
 * @param {PhotoBody[]} followups
 * @param {PhotoViewer[]} viewers
 */
function compareSection(originals, followups, viewers) {
  /**
   * @param {string} title
   * @param {PhotoBody[]} photos
   * @param {PhotoBody} initial
   * @param {string} cls
   */
  const pane = (title, photos, initial, cls) => {
    const viewer = new PhotoViewer({ label: title, compact: true });
    viewers.push(viewer);
    const chooser = h(
      'select',
      { id: uid('compare'), class: 'compare-select' },
      photos.map((p) => h('option', { value: p.id, selected: p === initial }, shortDateTime(p.createdAt))),
    );
    // The options are these photos' ids, so one always matches.
    chooser.addEventListener('change', () => viewer.show(/** @type {PhotoBody} */ (photos.find((p) => p.id === chooser.value))));
    viewer.show(initial);
    return h('div', { class: ['compare-pane', cls] }, h('h3', {}, title), field([h('span', { class: 'visually-hidden' }, `${title} photo, `), 'taken on'], chooser), viewer.el);
  };
  return h(
    'div',
    { class: 'compare', id: 'compare' },
    h('h3', { class: 'compare-title' }, 'Before and after'),
    h('div', { class: 'compare-grid' }, pane('Before', originals, /** @type {PhotoBody} */ (originals[0]), 'compare-before'), pane('Follow-up', followups, /** @type {PhotoBody} */ (followups[followups.length - 1]), 'compare-after')),
  );
}
