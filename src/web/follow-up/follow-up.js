// The follow-up page, made better with JavaScript: camera or gallery, previews, a progress bar while sending
// (XMLHttpRequest reports upload progress; fetch does not), and plain-word results. Without this script the
// page is a plain form that still works.
'use strict';

(function () {
  // The page's elements (src/web/follow-up/pages.ts). The form is missing on the pages without an upload (the
  // guard below returns then); the others are always there when it is.
  var form = /** @type {HTMLFormElement} */ (document.getElementById('upload'));
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.URL || !URL.createObjectURL) return;
  document.documentElement.classList.add('js');

  /** @type {Record<string, string>} error code (and GENERIC, NETWORK, INTERNAL_ERROR) -> plain words */
  var messages = {};
  try {
    messages = JSON.parse(form.getAttribute('data-messages') || '{}');
  } catch (e) {
    messages = {};
  }
  var clinic = form.getAttribute('data-clinic') || 'your clinic';
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
  if (galleryText) galleryText.textContent = 'Choose from gallery';

  /** @param {number} n */
  function plural(n) {
    return n === 1 ? '1 photo' : n + ' photos';
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
      img.alt = 'Photo ' + (index + 1);
      img.src = item.url;
      // Some formats (HEIC) have no preview in some browsers: show a plain tile instead of a broken image.
      img.onerror = function () {
        var tile = document.createElement('span');
        tile.className = 'tile';
        tile.textContent = 'Photo ' + (index + 1);
        li.replaceChild(tile, img);
      };
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', 'Remove photo ' + (index + 1));
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
    send.textContent = chosen.length > 0 ? 'Send ' + plural(chosen.length) : 'Send photos';
    hint.textContent = remaining > 0 ? 'You can send up to ' + plural(remaining) + '.' : '';
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
    say(skipped > 0 ? 'This link takes ' + plural(remaining) + ' at most: ' + skipped + ' not added.' : '', skipped > 0 ? 'error' : '');
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
    var more = left > 0 ? ' You can still send ' + plural(left) + ' with this link.' : '';
    say('Thank you: ' + plural(received) + (withNote ? ' and your note' : '') + ' sent to ' + clinic + '.' + more, 'success');
    if (left <= 0) closeForm();
  }

  /** What to say when the link no longer works: whom to ask, when the page knows the clinic's contact. */
  function goneText() {
    var withContact = messages.NOT_FOUND_WITH_CONTACT;
    if (!contact || !withContact) return messages.NOT_FOUND || 'This link does not work any more.';
    return withContact.replace('{clinic}', function () {
      return clinic;
    }).replace('{contact}', function () {
      return contact;
    });
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
    var text = code === 'NOT_FOUND' ? goneText() : messages[code] || (xhr.status >= 500 ? messages.INTERNAL_ERROR : messages.GENERIC) || 'The photos could not be sent.';
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
      say(messages.VALIDATION_ERROR || 'Please take or choose a photo first.', 'error');
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
    say('Sending…', '');
    setBusy(true);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      progress.value = pct;
      say(pct < 100 ? 'Sending… ' + pct + '%' : 'Checking the photos…', '');
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
      say(messages.NETWORK || 'The photos could not be sent: check your connection and try again.', 'error');
      setBusy(false);
    }
    xhr.addEventListener('error', networkError);
    xhr.addEventListener('timeout', networkError);
    xhr.send(data);
  });

  render();
})();
