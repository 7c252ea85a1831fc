// Choosing photos from the camera or the gallery: previews from object URLs, a kind per photo,
// remove before sending. File names never leave the device: parts are sent as photo-1, photo-2…
import { h, uid } from './dom.js';
import { bytes, KIND_LABELS } from './format.js';
import { t } from './i18n.js';

/**
 * A chosen photo: the file, its preview's object URL, its kind, and whether the browser failed to show it.
 * @typedef {{ file: File, url: string, kind: string | undefined, failed?: boolean }} PickerItem
 */

/**
 * @param {{ kinds?: readonly string[], defaultKind?: string, legend?: string }} [options]
 */
export function photoPicker({ kinds = ['overview', 'closeup', 'dermoscopy'], defaultKind, legend = t('web-case.picker.legend') } = {}) {
  /** @type {PickerItem[]} */
  let items = []; // { file, url, kind }
  const list = h('ul', { class: 'previews', 'aria-label': t('web-case.picker.chosen') });
  const count = h('p', { class: 'muted picker-count', 'aria-live': 'polite' });

  const cameraId = uid('camera');
  const galleryId = uid('gallery');
  const camera = h('input', { type: 'file', id: cameraId, name: 'camera', accept: 'image/*', capture: 'environment', class: 'visually-hidden-file' });
  const gallery = h('input', { type: 'file', id: galleryId, name: 'photos', accept: 'image/*', multiple: true, class: 'visually-hidden-file' });
  for (const input of [camera, gallery]) {
    input.addEventListener('change', () => {
      add([.../** @type {FileList} */ (input.files)]);
      input.value = '';
    });
  }

  /**
   * @param {number} index
   * @returns {string | undefined}
   */
  function kindFor(index) {
    if (defaultKind) return defaultKind;
    return index === 0 ? kinds[0] : (kinds[1] ?? kinds[0]);
  }

  /** @param {File[]} files */
  function add(files) {
    for (const file of files) items.push({ file, url: URL.createObjectURL(file), kind: kindFor(items.length) });
    render();
  }

  /** @param {PickerItem} item */
  function remove(item) {
    URL.revokeObjectURL(item.url);
    items = items.filter((i) => i !== item);
    render();
  }

  function render() {
    list.replaceChildren(
      ...items.map((item, index) => {
        const kindSelect = h(
          'select',
          { id: uid('kind'), name: `kind-${index}`, class: 'photo-kind', onchange: (e) => (item.kind = /** @type {HTMLSelectElement} */ (e.target).value) },
          kinds.map((k) => h('option', { value: k, selected: k === item.kind }, KIND_LABELS[k] ?? k)),
        );
        // HEIC cannot be previewed by most browsers, so a missing preview is a hint, not a refusal.
        const img = item.failed
          ? h('div', { class: 'preview-img preview-failed' }, t('web-case.picker.noPreview'))
          : h('img', { src: item.url, alt: t('web-case.picker.previewAlt', { n: index + 1 }), class: 'preview-img' });
        img.addEventListener(
          'error',
          () => {
            item.failed = true;
            render();
          },
          { once: true },
        );
        return h(
          'li',
          { class: 'preview' },
          img,
          h(
            'div',
            { class: 'preview-meta' },
            h('span', { class: 'preview-size' }, t('web-case.picker.size', { n: index + 1, size: bytes(item.file.size) })),
            h('label', { for: kindSelect.id }, t('web-case.picker.kind', { n: index + 1 })),
            kindSelect,
            h('button', { type: 'button', class: 'link-button danger', onclick: () => remove(item) }, t('web-case.picker.remove', { n: index + 1 })),
          ),
        );
      }),
    );
    count.textContent = t('web-case.picker.count', { count: items.length });
  }

  render();
  const el = h(
    'fieldset',
    { class: 'picker' },
    h('legend', {}, legend),
    h(
      'div',
      { class: 'picker-buttons' },
      camera,
      h('label', { for: cameraId, class: 'button file-button' }, t('web-case.picker.camera')),
      gallery,
      h('label', { for: galleryId, class: 'button file-button' }, t('web-case.picker.gallery')),
    ),
    count,
    list,
  );

  return {
    el,
    get count() {
      return items.length;
    },
    focus: () => gallery.focus(),
    /** Numbers (1-based) of the chosen files the browser could not show as pictures. */
    unreadable: () => items.flatMap((item, index) => (item.failed ? [index + 1] : [])),
    /** Appends the photos (and their kinds as a JSON array) to multipart form data. */
    /** @param {FormData} formData */
    appendTo(formData) {
      items.forEach((item, index) => formData.append('photos', item.file, `photo-${index + 1}`));
      formData.append('kinds', JSON.stringify(items.map((i) => i.kind)));
    },
    clear() {
      for (const item of items) URL.revokeObjectURL(item.url);
      items = [];
      render();
    },
  };
}

/**
 * A labelled upload progress bar; set(fraction | null) shows it, done() hides it.
 * @param {string} [label]
 */
export function progressBar(label = t('web-case.newCase.uploading')) {
  const bar = h('progress', { max: '100', value: '0', id: uid('progress') });
  const text = h('span', { class: 'progress-text' });
  const el = h('div', { class: 'upload-progress', hidden: true }, h('label', { for: bar.id }, label), bar, text);
  return {
    el,
    /** @param {number | null} fraction */
    set(fraction) {
      el.hidden = false;
      if (fraction === null) {
        bar.removeAttribute('value');
        text.textContent = t('web-case.newCase.sending');
        return;
      }
      const pct = Math.round(fraction * 100);
      bar.value = pct;
      text.textContent = pct >= 100 ? t('web-case.picker.cleaning') : t('web-case.picker.sent', { pct });
    },
    done() {
      el.hidden = true;
      bar.value = 0;
      text.textContent = '';
    },
  };
}
