// Choosing photos from the camera or the gallery: previews from object URLs, a kind per photo,
// remove before sending. File names never leave the device: parts are sent as photo-1, photo-2…
// Each photo is measured as soon as it is chosen: when it looks blurry, dark… a line under its preview says what
// to fix, with "Retake" and "Send anyway"; a warning never stops the form from sending.
import { h, uid } from './dom.js';
import { bytes, KIND_LABELS } from './format.js';
import { t } from './i18n.js';
import { adviceFor } from './photo-advice.js';

/**
 * A chosen photo: the file, its preview's object URL, its kind, and whether the browser failed to show it; the
 * input it came from (a retake opens it again), the quality warnings to advise on once measured, whether the
 * person chose to send it anyway, and the place under its preview where the advice goes.
 * @typedef {{ file: File, url: string, kind: string | undefined, failed?: boolean, source: HTMLInputElement,
 *   advice?: import('./photo-advice.js').QualityWarning[], kept?: boolean, check: HTMLElement, kindSelect?: HTMLSelectElement }} PickerItem
 */

/**
 * @param {{ kinds?: readonly string[], defaultKind?: string, legend?: string }} [options]
 */
export function photoPicker({ kinds = ['overview', 'closeup', 'dermoscopy'], defaultKind, legend = t('web-case.picker.legend') } = {}) {
  /** @type {PickerItem[]} */
  let items = []; // { file, url, kind }
  const list = h('ul', { class: 'previews', 'aria-label': t('web-case.picker.chosen') });
  const count = h('p', { class: 'muted picker-count', 'aria-live': 'polite' });
  // The advice is said once, when a measure finds something; the prompts themselves are drawn again as photos come and go.
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });

  const cameraId = uid('camera');
  const galleryId = uid('gallery');
  const camera = h('input', { type: 'file', id: cameraId, name: 'camera', accept: 'image/*', capture: 'environment', class: 'visually-hidden-file' });
  const gallery = h('input', { type: 'file', id: galleryId, name: 'photos', accept: 'image/*', multiple: true, class: 'visually-hidden-file' });
  for (const input of [camera, gallery]) {
    input.addEventListener('change', () => {
      add([.../** @type {FileList} */ (input.files)], input);
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

  /**
   * @param {File[]} files
   * @param {HTMLInputElement} source
   */
  function add(files, source) {
    announcer.replaceChildren();
    for (const file of files) {
      /** @type {PickerItem} */
      const item = { file, url: URL.createObjectURL(file), kind: kindFor(items.length), source, check: h('div', { class: 'quality-check', role: 'group', hidden: true }) };
      items.push(item);
      adviceFor(file).then((advice) => {
        if (!items.includes(item)) return;
        item.advice = advice;
        drawCheck(item);
        if (advice.length > 0) announcer.append(h('p', {}, t('web-case.quality.announce', { n: items.indexOf(item) + 1, advice: adviceText(advice) })));
      });
    }
    render();
  }

  /** @param {import('./photo-advice.js').QualityWarning[]} advice */
  function adviceText(advice) {
    return advice.map((warning) => t(`web-case.quality.${warning}`)).join(' ');
  }

  /**
   * The photo's prompt, under its preview, while it has advice the person has not set aside.
   * @param {PickerItem} item
   */
  function drawCheck(item) {
    const advice = item.kept ? [] : (item.advice ?? []);
    item.check.hidden = advice.length === 0;
    item.check.setAttribute('aria-label', t('web-case.quality.label', { n: items.indexOf(item) + 1 }));
    if (advice.length === 0) {
      item.check.replaceChildren();
      return;
    }
    item.check.replaceChildren(
      ...advice.map((warning) => h('p', { class: 'quality-advice', dataset: { warning } }, t(`web-case.quality.${warning}`))),
      h(
        'div',
        { class: 'quality-actions' },
        h('button', { type: 'button', class: 'btn-small primary', onclick: () => retake(item) }, t('web-case.quality.retake')),
        h('button', { type: 'button', class: 'btn-small', onclick: () => keep(item) }, t('web-case.quality.keep')),
      ),
    );
  }

  /**
   * Another photo instead: this one goes, and the camera or gallery it came from opens again.
   * @param {PickerItem} item
   */
  function retake(item) {
    remove(item);
    item.source.focus();
    item.source.click();
  }

  /**
   * Sent as it is: the prompt goes, and the photo's kind, next in the form, takes the focus the button had.
   * @param {PickerItem} item
   */
  function keep(item) {
    item.kept = true;
    drawCheck(item);
    item.kindSelect?.focus();
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
        item.kindSelect = kindSelect;
        drawCheck(item);
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
          item.check,
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
    announcer,
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
      announcer.replaceChildren();
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
