// The follow-up page, made better with JavaScript: camera or gallery, previews, a progress bar while sending
// (XMLHttpRequest reports upload progress; fetch does not), and plain-word results. Without this script the
// page is a plain form that still works. Every word comes from the page, in its language
// (src/web/follow-up/messages.ts): error messages in data-messages, the rest in data-words.
// Where the photo check (photo-check.js, loaded before this script) runs, each chosen photo is measured at once:
// one that looks blurry, dark… gets a plain line under it on what to fix, with "Retake" and "Send anyway".
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
  /** @type {{ text?: Record<string, string>, plurals?: Record<string, Record<string, string>>, forms?: string[], advice?: Record<string, string> }} */
  var words = dataJson('data-words');
  var texts = words.text || {};
  /** @type {Record<string, string>} quality warning -> what to fix */
  var adviceWords = words.advice || {};
  /**
   * The photo check, when its script has loaded (src/web/follow-up/photo-check.js): the quality warnings to put
   * to the parent for a file, none when it looks fine. Without it, photos are sent unchecked, as before.
   * @type {((file: Blob) => Promise<string[]>) | undefined}
   */
  var checkPhoto = /** @type {any} */ (window).photoCheck;
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
  /**
   * A chosen photo, the input it came from (a retake opens it again), and once measured the warnings to put to
   * the parent, unless they chose to send it anyway; li: its tile on the page.
   * @typedef {{ file: File, url: string, source: HTMLInputElement, advice?: string[], kept?: boolean, li?: HTMLElement }} Chosen
   */
  /** @type {Chosen[]} */
  var chosen = [];
  var busy = false;
  // The advice is said once, when a photo's check finds something; the prompts are drawn again as photos come and go.
  var announcer = document.createElement('div');
  announcer.className = 'visually-hidden';
  announcer.setAttribute('aria-live', 'polite');
  form.appendChild(announcer);

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

  /** @param {string[]} warnings */
  function adviceText(warnings) {
    return warnings
      .map(function (warning) {
        return adviceWords[warning] || '';
      })
      .join(' ');
  }

  /**
   * @param {string} className
   * @param {string} text
   * @param {() => void} onClick
   */
  function button(className, text, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    b.disabled = busy;
    b.addEventListener('click', onClick);
    return b;
  }

  /**
   * Under a photo that looks blurry, dark…: what to fix, then "Retake" and "Send anyway". Drawn into its tile in
   * place, so that a check ending while the parent is on another button does not take their focus away.
   * @param {Chosen} item
   * @param {number} index
   */
  function drawCheck(item, index) {
    var li = item.li;
    if (!li) return;
    var old = li.querySelector('.check');
    if (old) li.removeChild(old);
    var warnings = item.kept ? [] : item.advice || [];
    li.className = warnings.length > 0 ? 'checked' : '';
    if (warnings.length === 0) return;
    var box = document.createElement('div');
    box.className = 'check';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', fill(texts.photo, { n: index + 1 }));
    warnings.forEach(function (warning) {
      var p = document.createElement('p');
      p.className = 'advice';
      p.setAttribute('data-warning', warning);
      p.textContent = adviceWords[warning] || '';
      box.appendChild(p);
    });
    var actions = document.createElement('div');
    actions.className = 'check-actions';
    // Another photo instead: this one goes, and the camera or gallery it came from opens again.
    var retake = button('retake', texts.retake || '', function () {
      removeChosen(item);
      item.source.focus();
      item.source.click();
    });
    // Sent as it is: the prompt goes, and the send button takes the focus.
    var keep = button('keep', texts.keep || '', function () {
      item.kept = true;
      drawCheck(item, chosen.indexOf(item));
      send.focus();
    });
    actions.appendChild(retake);
    actions.appendChild(keep);
    box.appendChild(actions);
    li.appendChild(box);
  }

  /** @param {Chosen} item */
  function removeChosen(item) {
    URL.revokeObjectURL(item.url);
    chosen.splice(chosen.indexOf(item), 1);
    render();
  }

  /**
   * Measures a photo just chosen (the check says nothing of a photo it cannot read: the service measures it).
   * @param {Chosen} item
   */
  function check(item) {
    if (!checkPhoto) return;
    checkPhoto(item.file).then(function (warnings) {
      var index = chosen.indexOf(item);
      if (index < 0) return;
      item.advice = warnings;
      drawCheck(item, index);
      if (warnings.length === 0) return;
      var said = document.createElement('p');
      said.textContent = fill(texts.announce, { n: index + 1, advice: adviceText(warnings) });
      announcer.appendChild(said);
    });
  }

  function render() {
    previews.textContent = '';
    chosen.forEach(function (item, index) {
      var li = document.createElement('li');
      var shot = document.createElement('div');
      shot.className = 'shot';
      var img = document.createElement('img');
      img.alt = fill(texts.photo, { n: index + 1 });
      img.src = item.url;
      // Some formats (HEIC) have no preview in some browsers: show a plain tile instead of a broken image.
      img.onerror = function () {
        var tile = document.createElement('span');
        tile.className = 'tile';
        tile.textContent = fill(texts.photo, { n: index + 1 });
        shot.replaceChild(tile, img);
      };
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = texts.remove || '';
      remove.setAttribute('aria-label', fill(texts.removePhoto, { n: index + 1 }));
      remove.disabled = busy;
      remove.addEventListener('click', function () {
        removeChosen(item);
      });
      shot.appendChild(img);
      shot.appendChild(remove);
      li.appendChild(shot);
      item.li = li;
      drawCheck(item, index);
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
    announcer.textContent = '';
    files.forEach(function (file) {
      if (chosen.length >= remaining) {
        skipped += 1;
        return;
      }
      /** @type {Chosen} */
      var item = { file: file, url: URL.createObjectURL(file), source: input };
      chosen.push(item);
      check(item);
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
