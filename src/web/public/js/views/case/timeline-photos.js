// A case's photos as a follow-up timeline: grouped by upload (the referrer's first photos, their later ones, the
// patient's through a follow-up link), each named by date, kind and place in its upload ("12 Mar · Close-up 2 of
// 3"), and marked "new" when it arrived after the reader's previous visit, and with its quality warnings
// ("Blurry", "Too dark") when the service found some.
import { photoUrl } from '../../api.js';
import { h } from '../../dom.js';
import { dayMonth, dateTime, KIND_LABELS } from '../../format.js';
import { currentLanguage, t } from '../../i18n.js';

/** @typedef {import('../../../../types.js').PhotoBody} PhotoBody */
/**
 * @typedef {object} PhotoGroup one upload: photos sent together share their creation time
 * @property {string} title e.g. "12 Mar 2026, 14:05 · First photos from the referrer"
 * @property {'first' | 'later' | 'link'} source
 * @property {TimelinePhoto[]} items
 */
/**
 * @typedef {object} TimelinePhoto
 * @property {PhotoBody} photo
 * @property {string} label e.g. "12 Mar · Close-up 2 of 3"
 * @property {string} place e.g. "Close-up 2 of 3": its kind and place in its upload
 * @property {boolean} isNew arrived after the reader's previous visit
 * @property {PhotoGroup} group
 */

/**
 * The photos grouped by upload, oldest first.
 * @param {readonly PhotoBody[]} photos
 * @param {{ lastVisitAt: string | null, isReferrer: boolean }} reader null lastVisitAt: a first visit, where
 *   nothing is marked new (everything would be); a referrer's own uploads are never new to them
 * @returns {{ groups: PhotoGroup[], items: TimelinePhoto[], newCount: number }}
 */
export function photoTimeline(photos, { lastVisitAt, isReferrer }) {
  const sorted = [...photos].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const lastVisit = lastVisitAt ? Date.parse(lastVisitAt) : null;
  /** @type {PhotoGroup[]} */
  const groups = [];
  /** @type {Map<string, PhotoBody[]>} */
  const uploads = new Map();
  for (const photo of sorted) {
    const key = `${photo.uploadedBy}|${photo.createdAt}`;
    uploads.set(key, [...(uploads.get(key) ?? []), photo]);
  }
  /** @type {TimelinePhoto[]} */
  const items = [];
  let referrerUploads = 0;
  for (const batch of uploads.values()) {
    const first = /** @type {PhotoBody} */ (batch[0]);
    const source = first.uploadedBy === 'link' ? 'link' : referrerUploads++ === 0 ? 'first' : 'later';
    /** @type {PhotoGroup} */
    const group = { title: `${dateTime(first.createdAt)} · ${t('web-case.timeline.source', { source })}`, source, items: [] };
    batch.forEach((photo, i) => {
      const kind = KIND_LABELS[photo.kind] ?? photo.kind;
      const created = Date.parse(photo.createdAt);
      const place = t('web-case.timeline.place', { kind, n: i + 1, total: batch.length });
      const item = {
        photo,
        label: `${dayMonth(photo.createdAt)} · ${place}`,
        place,
        isNew: lastVisit !== null && created > lastVisit && !(isReferrer && photo.uploadedBy === 'user'),
        group,
      };
      group.items.push(item);
      items.push(item);
    });
    groups.push(group);
  }
  return { groups, items, newCount: items.filter((i) => i.isNew).length };
}

/**
 * A photo's quality warnings by their short names ("Blurry", "Too dark"): none for a photo that looks fine, or
 * one stored before photos were measured.
 * @param {PhotoBody} photo
 */
function warningNames(photo) {
  return (photo.quality?.warnings ?? []).map((warning) => t(`web-case.quality.short.${warning}`));
}

/**
 * The timeline as thumbnail buttons under a heading for each upload; `onSelect(photo)` when one is chosen.
 * @param {ReturnType<typeof photoTimeline>} timeline
 * @param {(photo: PhotoBody) => void} onSelect
 */
export function timelineChooser(timeline, onSelect) {
  /** @type {HTMLButtonElement[]} */
  const buttons = [];
  const groups = timeline.groups.map((group) =>
    h(
      'li',
      { class: ['photo-group', `photo-group-${group.source}`] },
      h('p', { class: 'photo-group-title' }, group.title),
      h(
        'div',
        { class: 'photo-group-thumbs' },
        group.items.map(({ photo, label, place, isNew }) => {
          const img = h('img', { alt: '', class: 'thumb-img', width: '96', height: '96' });
          photoUrl(photo.id, 'thumb')
            .then((url) => {
              img.src = url;
            })
            .catch(() => img.classList.add('thumb-failed'));
          const warnings = warningNames(photo);
          const named = isNew ? t('web-case.timeline.newLabel', { label }) : label;
          const fullLabel =
            warnings.length > 0 ? t('web-case.quality.thumbLabel', { label: named, count: warnings.length, warnings: new Intl.ListFormat(currentLanguage()).format(warnings) }) : named;
          const button = h(
            'button',
            {
              type: 'button',
              class: ['thumb', isNew ? 'thumb-new' : null, warnings.length > 0 ? 'thumb-warned' : null],
              'aria-pressed': 'false',
              'aria-label': fullLabel,
              title: fullLabel,
              dataset: { photoId: photo.id, new: String(isNew) },
              onclick: () => {
                select(photo.id);
                onSelect(photo);
              },
            },
            img,
            h('span', { class: 'thumb-kind' }, place),
            isNew ? h('span', { class: 'new-mark', 'aria-hidden': 'true' }, t('web-case.timeline.new')) : null,
            warnings.length > 0
              ? h(
                  'span',
                  { class: 'quality-mark', 'aria-hidden': 'true' },
                  warnings.map((name) => h('span', {}, name)),
                )
              : null,
          );
          buttons.push(button);
          return button;
        }),
      ),
    ),
  );
  /** @param {string} id */
  function select(id) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.photoId === id));
  }
  const el = h('ol', { class: 'photo-timeline', 'aria-label': t('web-case.timeline.label') }, groups);
  return { el, select };
}

/**
 * A <select> of the timeline's photos, one <optgroup> for each upload.
 * @param {ReturnType<typeof photoTimeline>} timeline
 * @param {PhotoBody} selected
 */
export function timelineSelect(timeline, selected) {
  return h(
    'select',
    { class: 'compare-select' },
    timeline.groups.map((group) =>
      h(
        'optgroup',
        { label: group.title },
        group.items.map(({ photo, label, isNew }) => h('option', { value: photo.id, selected: photo.id === selected.id }, isNew ? t('web-case.timeline.optionNew', { label }) : label)),
      ),
    ),
  );
}
