// The follow-up page, made better with JavaScript: camera or gallery, previews, a progress bar while sending
// (XMLHttpRequest reports upload progress; fetch does not), and plain-word results. Without this script the
// page is a plain form that still works. Every word comes from the page, in its language
// (src/web/follow-up/messages.ts): error messages in data-messages, the rest in data-words.
'use strict';

(function () {
  // The page's elements (src/web/follow-up/pages.ts). The form is missing on the pages without an upload (the
  // guard below returns then); the others are always there when it is.
  var form = /** @type {HTMLFormElement} */ (document.getElementById('upload'));
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.URL || !URL.createObjectURL) return;
  document.documentElement.classList.add('js');

  /**
   * @param {string} name
   * @returns {any}
   */
  function dataJson(name) {
    try {
      return JSON.parse(form.getAttribute(name) || '{}');
    } catch (e) {
      return {};
    }
  }
  /** @type {Record<string, string>} error code (and GENERIC, NETWORK, INTERNAL_ERROR) -> plain words */
  var messages = dataJson('data-messages');
  /** @type {{ text?: Record<string, string>, plurals?: Record<string, Record<string, string>>, forms?: string[] }} */
  var words = dataJson('data-words');
  var texts = words.text || {};
  var clinic = form.getAttribute('data-clinic') || '';
  var contact = form.getAttribute('data-contact') || '';
  var remaining = Number(form.getAttribute('data-remaining')) || 0;
  var camera = /** @type {HTMLInputElement} */ (document.getElementById('camera'));
  var gallery = /** @type {HTMLInputElement} */ (document.getElementById('photos'));
  var cameraLabel = /** @type {HTMLElement} */ (form.querySelector('.picker-camera'));
  var galleryText = form.querySelector('.picker-gallery .picker-text');
  var previews = /** @type {HTMLElement} */ (document.getElementById('previews'));
  var progress = /** @type {HTMLProgressElement} */ (document.getElementById('progress'));
  var status = /** @type {HTMLElement} */ (document.getElementById('status'));
  var hint = /** @type {HTMLElement} */ (document.getElementById('hint'));
  var send = /** @type {HTMLButtonElement} */ (document.getElementById('send'));
  var note = /** @type {HTMLTextAreaElement} */ (document.getElementById('note'));
  /** @type {{ file: File, url: string }[]} */
  var chosen = []; // { file, url }
  var busy = false;

  gallery.required = false;
  cameraLabel.hidden = false;
  if (galleryText) galleryText.textContent = texts.gallery || galleryText.textContent;

  /**
   * A text with its {name} slots filled, in one pass (a value is never read as a slot).
   * @param {string | undefined} text
   * @param {Record<string, string | number>} values
   */
  function fill(text, values) {
    return (text || '').replace(/\{(\w+)\}/g, function (slot, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : slot;
    });
  }

  /**
   * A message with a count: the form the language takes for n (the page says which), with n (and the clinic) in it.
   * @param {string} key
   * @param {number} n
   */
  function plural(key, n) {
    var forms = (words.plurals && words.plurals[key]) || {};
    var form = (words.forms && words.forms[n]) || 'other';
    return fill(forms[form] || forms.other, { n: n, clinic: clinic });
  }

  /**
   * @param {string} text
   * @param {string} kind '', 'error' or 'success'
   */
  function say(text, kind) {
    status.textContent = text;
    status.className = 'status' + (kind ? ' ' + kind : '');
  }

  function render() {
    previews.textContent = '';
    chosen.forEach(function (item, index) {
      var li = document.createElement('li');
      var img = document.createElement('img');
      img.alt = fill(texts.photo, { n: index + 1 });
      img.src = item.url;
      // Some formats (HEIC) have no preview in some browsers: show a plain tile instead of a broken image.
      img.onerror = function () {
        var tile = document.createElement('span');
        tile.className = 'tile';
        tile.textContent = fill(texts.photo, { n: index + 1 });
        li.replaceChild(tile, img);
      };
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = texts.remove || '';
      remove.setAttribute('aria-label', fill(texts.removePhoto, { n: index + 1 }));
      remove.disabled = busy;
      remove.addEventListener('click', function () {
        URL.revokeObjectURL(item.url);
        chosen.splice(index, 1);
        render();
      });
      li.appendChild(img);
      li.appendChild(remove);
      previews.appendChild(li);
    });
    send.disabled = busy || chosen.length === 0;
    send.textContent = chosen.length > 0 ? plural('send', chosen.length) : texts.send || '';
    hint.textContent = remaining > 0 ? plural('hint', remaining) : '';
  }

  /** @param {HTMLInputElement} input */
  function add(input) {
    /** @type {File[]} */
    var files = Array.prototype.slice.call(input.files || []);
    input.value = '';
    var skipped = 0;
    files.forEach(function (file) {
      if (chosen.length >= remaining) {
        skipped += 1;
        return;
      }
      chosen.push({ file: file, url: URL.createObjectURL(file) });
    });
    say(skipped > 0 ? plural('tooMany', remaining) : '', skipped > 0 ? 'error' : '');
    render();
  }

  camera.addEventListener('change', function () {
    add(camera);
  });
  gallery.addEventListener('change', function () {
    add(gallery);
  });

  /** @param {boolean} value */
  function setBusy(value) {
    busy = value;
    camera.disabled = value;
    gallery.disabled = value;
    note.disabled = value;
    render();
  }

  /** Nothing more can be sent with this link: the pickers and the note go. */
  function closeForm() {
    /** @type {HTMLElement} */ (form.querySelector('.pickers')).hidden = true;
    note.hidden = true;
    /** @type {HTMLElement} */ (form.querySelector('.note-label')).hidden = true;
    /** @type {HTMLElement} */ (document.getElementById('note-hint')).hidden = true;
  }

  /**
   * @param {number} received
   * @param {number} left
   * @param {boolean} withNote
   */
  function finished(received, left, withNote) {
    chosen.forEach(function (item) {
      URL.revokeObjectURL(item.url);
    });
    chosen = [];
    remaining = left;
    note.value = '';
    var sent = plural(withNote ? 'sentWithNote' : 'sent', received);
    var message = left > 0 ? fill(texts.sentMore, { sent: sent, more: plural('more', left) }) : sent;
    say(fill(texts.thanks, { message: message }), 'success');
    if (left <= 0) closeForm();
  }

  /** What to say when the link no longer works: whom to ask, when the page knows the clinic's contact. */
  function goneText() {
    var withContact = messages.NOT_FOUND_WITH_CONTACT;
    if (!contact || !withContact) return messages.NOT_FOUND || '';
    return fill(withContact, { clinic: clinic, contact: contact });
  }

  /** @param {XMLHttpRequest} xhr */
  function failed(xhr) {
    /** @type {{ code?: unknown } | null} */
    var body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch (e) {
      body = null;
    }
    var code = body && typeof body.code === 'string' ? body.code : '';
    var text = code === 'NOT_FOUND' ? goneText() : messages[code] || (xhr.status >= 500 ? messages.INTERNAL_ERROR : messages.GENERIC) || '';
    say(text, 'error');
    if (code === 'NOT_FOUND') {
      remaining = 0;
      closeForm();
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    if (chosen.length === 0) {
      say(messages.VALIDATION_ERROR || '', 'error');
      return;
    }
    var data = new FormData();
    var withNote = note.value.trim() !== '';
    if (withNote) data.append('note', note.value);
    // A neutral name: the original file name never leaves the phone.
    chosen.forEach(function (item, i) {
      data.append('photos', item.file, 'photo-' + (i + 1));
    });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.timeout = 10 * 60 * 1000;
    progress.hidden = false;
    progress.value = 0;
    say(texts.sending || '', '');
    setBusy(true);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      progress.value = pct;
      say(pct < 100 ? fill(texts.sendingPercent, { n: pct }) : texts.checking || '', '');
    });
    xhr.addEventListener('load', function () {
      progress.hidden = true;
      /** @type {{ received?: unknown, remaining?: unknown } | null} */
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = null;
      }
      busy = false;
      camera.disabled = false;
      gallery.disabled = false;
      if (xhr.status === 201 && body && typeof body.received === 'number') {
        finished(body.received, typeof body.remaining === 'number' ? body.remaining : remaining - body.received, withNote);
      } else {
        failed(xhr);
      }
      render();
    });
    function networkError() {
      progress.hidden = true;
      say(messages.NETWORK || '', 'error');
      setBusy(false);
    }
    xhr.addEventListener('error', networkError);
    xhr.addEventListener('timeout', networkError);
    xhr.send(data);
  });

  render();
})();
