// The case's photos: the chosen one in a zoomable viewer beside the follow-up timeline, and two photos compared
// side by side, their zoom and pan linked.
import { field, h } from '../../dom.js';
import { PhotoViewer } from '../../photo-viewer.js';
import { timelineChooser, timelineSelect } from './timeline-photos.js';
import { t } from '../../i18n.js';

/** @typedef {import('../../../../types.js').PhotoBody} PhotoBody */
/** @typedef {ReturnType<typeof import('./timeline-photos.js').photoTimeline>} Timeline */

/**
 * @param {Timeline} timeline
 * @param {{ viewers: PhotoViewer[], selectedId: string | null, onSelect: (photo: PhotoBody) => void }} options
 *   viewers: the page's viewers, to destroy when it is left; selectedId: the photo to show first (kept when the
 *   page is drawn again), else the first
 * @returns {{ el: HTMLElement, viewer: PhotoViewer | null, step: (delta: number) => void }} step(±1): the next or previous photo
 */
export function photosSection(timeline, { viewers, selectedId, onSelect }) {
  const { items, newCount } = timeline;
  const title = t('web-case.photos.heading', { count: items.length, newCount });
  const section = h('section', { class: 'card photos-section', 'aria-labelledby': 'photos-h' }, h('h2', { id: 'photos-h' }, title));
  const first = items.find((i) => i.photo.id === selectedId) ?? items[0];
  if (!first) {
    section.append(h('p', { class: 'muted' }, t('web-case.photos.none')));
    return { el: section, viewer: null, step: () => {} };
  }
  const viewer = new PhotoViewer({ label: t('web-case.photos.selected') });
  viewer.el.id = 'main-viewer';
  viewers.push(viewer);
  /** @param {PhotoBody} photo */
  const choose = (photo) => {
    viewer.show(photo);
    onSelect(photo);
  };
  const chooser = timelineChooser(timeline, choose);
  section.append(h('div', { class: 'photos-body' }, viewer.el, chooser.el));
  chooser.select(first.photo.id);
  choose(first.photo);
  return {
    el: section,
    viewer,
    step(delta) {
      const at = items.findIndex((i) => i.photo.id === viewer.photo?.id);
      const next = items[(at + delta + items.length) % items.length];
      if (!next || next.photo.id === viewer.photo?.id) return;
      chooser.select(next.photo.id);
      choose(next.photo);
    },
  };
}

/**
 * Two photos side by side (by default the first and the latest upload's photo of the same kind), each pane with
 * its chooser; zooming or panning one moves the other the same, relative to each photo's size, until unlinked.
 * Only for photos from more than one upload: comparing is about change over time.
 * @param {Timeline} timeline
 * @param {PhotoViewer[]} viewers
 */
export function compareSection(timeline, viewers) {
  const { groups } = timeline;
  const firstGroup = groups[0];
  const lastGroup = groups[groups.length - 1];
  if (!firstGroup || !lastGroup || groups.length < 2) return null;
  const before = /** @type {PhotoBody} */ (firstGroup.items[0]?.photo);
  const after = (lastGroup.items.find((i) => i.photo.kind === before.kind) ?? lastGroup.items[0])?.photo ?? before;

  /** @type {PhotoViewer[]} */
  const panes = [];
  const linked = h('input', { type: 'checkbox', id: 'compare-linked', checked: true });
  // Linked again: the second pane comes to where the first one looks.
  linked.addEventListener('change', () => {
    const [lead, other] = panes;
    if (linked.checked && lead && other) other.setRelativeView(lead.relativeView());
  });
  /**
   * @param {PhotoViewer} from
   * @param {import('../../photo-viewer.js').RelativeView} view
   */
  const follow = (from, view) => {
    if (!linked.checked) return;
    for (const other of panes) if (other !== from) other.setRelativeView(view);
  };
  /**
   * @param {string} title
   * @param {PhotoBody} initial
   * @param {string} cls
   */
  const pane = (title, initial, cls) => {
    const viewer = new PhotoViewer({ label: title, compact: true, onViewChange: (view) => follow(viewer, view) });
    viewers.push(viewer);
    panes.push(viewer);
    const chooser = timelineSelect(timeline, initial);
    const byId = new Map(timeline.items.map((i) => [i.photo.id, i.photo]));
    // The options are these photos' ids, so one always matches.
    chooser.addEventListener('change', () => viewer.show(/** @type {PhotoBody} */ (byId.get(chooser.value))));
    viewer.show(initial);
    return h('div', { class: ['compare-pane', cls] }, h('h3', {}, title), field([h('span', { class: 'visually-hidden' }, `${title}: `), t('web-case.photos.photo')], chooser), viewer.el);
  };
  return h(
    'section',
    { class: 'card compare', id: 'compare', 'aria-labelledby': 'compare-h' },
    h(
      'div',
      { class: 'compare-head' },
      h('h2', { id: 'compare-h', class: 'compare-title' }, t('web-case.photos.compare')),
      h('label', { class: 'check compare-link' }, linked, t('web-case.photos.link')),
    ),
    h('div', { class: 'compare-grid' }, pane(t('web-case.photos.before'), before, 'compare-before'), pane(t('web-case.photos.after'), after, 'compare-after')),
  );
}
