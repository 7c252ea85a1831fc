// The case page, one for every role: details, photos in a zoomable viewer (with follow-ups side by side),
// opinions (blinded for reviewers until they have given theirs), discussion, and the actions each role has.
import { api, errorMessage, upload } from '../api.js';
import { field, h, mount, notice, select, uid } from '../dom.js';
import { CONFIDENCE_LABELS, dateTime, DISPOSITION_LABELS, SEX_LABELS, shortDateTime, statusLabel } from '../format.js';
import { photoPicker, progressBar } from '../photo-picker.js';
import { PhotoViewer, thumbnailStrip } from '../photo-viewer.js';
import { currentPath, navigate } from '../router.js';
import { busy, flashNext, pageHeading, statusBadge, urgencyBadge } from '../ui.js';
import { claimedCases } from './reviewer.js';

/** @typedef {import('../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../types.js').PhotoBody} PhotoBody */
/** @typedef {CaseBody['opinions'][number]} OpinionBody */
/** @typedef {CaseBody['messages'][number]} MessageBody */
/** @typedef {OpinionBody['diagnosis']} Diagnosis */
/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').SessionUser} SessionUser */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../types.js').CreatedFollowUpLink} CreatedFollowUpLink */
/** @typedef {(message?: string) => Promise<void>} Refresh reloads the case and shows `message` above it */

/**
 * An opinion as this page reads it: the API's, and `reviewerId`/`reviewerName`, which the API does not send
 * (the page falls back to them when `reviewer` is missing).
 * @typedef {OpinionBody & { reviewerId?: string, reviewerName?: string }} Opinion
 */
/**
 * A message as this page reads it: the API's, and fallbacks the API does not send (`authorId`, `authorName`, `author.role`).
 * @typedef {Omit<MessageBody, 'author'> & { author: MessageBody['author'] & { role?: string }, authorId?: string, authorName?: string }} Message
 */
/**
 * The case as this page reads it: CaseBody, and fallbacks the API does not send (`referrerId`, and a consensus
 * wrapping `diagnosis` and `agreement`; the API sends the diagnosis itself and `agreement` beside it).
 * @typedef {Omit<CaseBody, 'opinions' | 'messages' | 'consensus'> & {
 *   referrerId?: string,
 *   opinions: Opinion[],
 *   messages: Message[],
 *   consensus: (Diagnosis & { diagnosis?: Diagnosis, agreement?: number | null }) | null,
 * }} CaseView
 */

const OPEN = new Set(['queued', 'in_review', 'needs_info', 'disputed']);

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function caseView(main, params, ctx) {
  const user = ctx.user;
  const id = /** @type {string} */ (params.id); // the route is /cases/:id
  /** @type {PhotoViewer[]} */
  let viewers = [];
  // Admins may move any case; reviewers only between their own queues.
  const allQueues = user.role === 'clinician' ? [] : /** @type {Queue[]} */ (await api.get('/api/v1/queues').catch(() => []));

  function destroyViewers() {
    for (const viewer of viewers) viewer.destroy();
    viewers = [];
  }

  /** @type {Refresh} */
  async function refresh(message) {
    const c = /** @type {CaseView} */ (await api.get(`/api/v1/cases/${encodeURIComponent(id)}`));
    if (!ctx.isCurrent() || currentPath() !== `/cases/${id}`) return;
    destroyViewers();
    const page = render(c);
    mount(main, message ? notice('ok', message) : null, page);
  }

  /** @param {CaseView} c */
  function render(c) {
    const photos = [...(c.photos ?? [])].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const isReferrer = user.role === 'clinician' && (c.referrer?.id === user.id || c.referrerId === user.id || !c.referrer);
    const isReviewer = user.role === 'reviewer';
    const head = [
      pageHeading(
        `${c.patientRef ?? 'Case'} · ${c.bodySite ?? ''}`,
        h('div', { class: 'case-badges' }, statusBadge(c.status), urgencyBadge(c.urgency), c.queue ? h('span', { class: 'badge badge-queue' }, c.queue) : null),
      ),
      statusHelp(c, user),
      answerSummary(c, user),
    ];
    // Two columns on wide screens: what is looked at (details, photos) and what is done (opinions, talk, actions).
    const mainColumn = [detailsSection(c), photosSection(photos, viewers)];
    /** @type {Array<HTMLElement | null>} */
    const side = [opinionsSection(c, user, refresh)];
    if (isReviewer) side.push(reviewerActions(c, user, allQueues, refresh));
    if (user.role === 'admin' && OPEN.has(c.status)) side.push(adminActions(c, allQueues, refresh));
    side.push(discussionSection(c, user, refresh));
    if (isReferrer && c.status !== 'closed') side.push(addPhotosSection(c, refresh));
    if ((isReferrer || isReviewer) && c.status !== 'closed') side.push(followUpSection(c));
    if ((isReferrer || user.role === 'admin') && c.status !== 'closed') side.push(closeSection(c, refresh));
    side.push(timelineSection(c));
    const sections = [...head, h('div', { class: 'case-main' }, mainColumn), h('div', { class: 'case-side' }, side)];
    return h('div', { class: 'case-page', id: 'case-page', dataset: { caseId: c.id, status: c.status } }, sections);
  }

  await refresh();
  return destroyViewers;
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function statusHelp(c, user) {
  const text = /** @type {Partial<Record<string, Record<string, string>>>} */ ({
    clinician: {
      queued: 'Your case is waiting for a specialist.',
      in_review: 'A specialist is looking at your case.',
      needs_info: 'A specialist asked for more information: answer in the discussion below or add photos.',
      disputed: 'The specialists did not agree; one more specialist will give an opinion.',
      answered: 'The specialists have answered.',
      closed: 'This case is closed.',
    },
    reviewer: {
      needs_info: 'Waiting for the referring clinician to answer a question.',
      disputed: 'The opinions disagree: a tie-breaking opinion is needed.',
    },
  })[user.role]?.[c.status];
  return text ? h('p', { class: ['status-help', `status-help-${c.status}`] }, text) : null;
}

/**
 * For the referrer, the answer goes at the top: on a phone it would otherwise be far below the photos.
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function answerSummary(c, user) {
  if (user.role !== 'clinician' || !c.answer) return null;
  const { answer } = c;
  const specialists = (/** @type {number} */ n) => (n === 1 ? '1 specialist' : `${n} specialists`);
  return h(
    'div',
    { class: 'consensus answer-summary', id: 'answer-summary', role: 'note' },
    h('p', { class: 'consensus-label' }, 'Answer'),
    h('p', { class: 'consensus-diagnosis' }, diagnosisText(answer.diagnosis)),
    h('p', { class: 'answer-agreement' }, answer.agreeing === answer.total ? `All ${answer.total} specialists agreed` : `${answer.agreeing} of ${answer.total} specialists agreed`),
    h('p', { class: 'answer-advice' }, h('strong', {}, 'Advice: '), DISPOSITION_LABELS[answer.disposition] ?? answer.disposition),
    answer.management ? h('p', { class: 'answer-management' }, answer.management) : null,
    // The outvoted opinions, apart and plainly: never part of the advice above.
    answer.dissent.length
      ? h(
          'div',
          { class: 'answer-dissent' },
          h('p', { class: 'consensus-label' }, `${specialists(answer.dissent.length)} disagreed`),
          h(
            'ul',
            {},
            answer.dissent.map((d) => h('li', {}, `${diagnosisText(d.diagnosis)}, advising ${(DISPOSITION_LABELS[d.disposition] ?? d.disposition).toLowerCase()}`)),
          ),
        )
      : null,
    h('p', {}, h('a', { href: '#opinions' }, `Read the ${answer.total} opinions`)),
  );
}

/** @param {CaseView} c */
function detailsSection(c) {
  const rows = [
    ['Patient reference', c.patientRef],
    ['Age', c.ageYears !== undefined && c.ageYears !== null ? `${c.ageYears} years` : null],
    ['Sex', SEX_LABELS[c.sex] ?? c.sex],
    ['Skin type (Fitzpatrick)', c.fitzpatrick ? String(c.fitzpatrick) : 'Not recorded'],
    ['Where on the body', c.bodySite],
    ['For how long', c.durationDays !== undefined && c.durationDays !== null ? `${c.durationDays} days` : null],
    ['History', c.history || '—'],
    ['Question', c.question],
    ['Referred by', c.referrer?.name],
    ['Sent', dateTime(c.createdAt)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'details-h' },
    h('h2', { id: 'details-h' }, 'Clinical details'),
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  );
}

/**
 * @param {PhotoBody[]} photos
 * @param {PhotoViewer[]} viewers the page's viewers, to destroy when it is left
 */
function photosSection(photos, viewers) {
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

/** @param {{ text?: string, code?: string, system?: string } | null | undefined} d */
function diagnosisText(d) {
  if (!d) return '';
  const code = d.code ? ` (${d.system === 'snomed' ? 'SNOMED CT' : 'ICD-10'} ${d.code})` : '';
  return `${d.text}${code}`;
}

/** @param {string | null | undefined} text */
function normalize(text) {
  return String(text ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The consensus the API gives, or, when it gives none, the diagnosis most opinions share.
 * @param {CaseView} c
 */
function consensusOf(c) {
  const given = c.consensus?.diagnosis ?? (c.consensus?.text ? c.consensus : null);
  if (given) return { diagnosis: given, agreement: c.agreement ?? c.consensus?.agreement ?? undefined };
  const opinions = c.opinions ?? [];
  if (!opinions.length) return null;
  /** @type {Map<string, Opinion[]>} */
  const groups = new Map();
  for (const o of opinions) {
    /** @type {Partial<Diagnosis>} */
    const d = o.diagnosis ?? {};
    const key = d.code && d.system ? `${d.system}:${d.code.toUpperCase().replace(/[.\s]+/g, '')}` : `t:${normalize(d.text)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  // There is at least one opinion, so at least one group, and no group is empty.
  const [best] = /** @type {[[Opinion, ...Opinion[]]]} */ ([...groups.values()].sort((a, b) => b.length - a.length));
  return { diagnosis: best[0].diagnosis, agreement: best.length / opinions.length };
}

/**
 * @param {Opinion} o
 * @param {SessionUser} user
 */
function opinionCard(o, user) {
  const mine = o.reviewer?.id === user.id || o.reviewerId === user.id;
  const differential = (o.differential ?? []).filter((d) => d?.text);
  return h(
    'article',
    { class: ['opinion', mine ? 'opinion-mine' : null] },
    h('h3', {}, diagnosisText(o.diagnosis)),
    h('p', { class: 'muted' }, `${mine ? 'You' : (o.reviewer?.name ?? o.reviewerName ?? 'A specialist')} · ${dateTime(o.createdAt)}`),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Confidence'),
      h('dd', {}, CONFIDENCE_LABELS[o.confidence] ?? o.confidence),
      h('dt', {}, 'What to do'),
      h('dd', {}, DISPOSITION_LABELS[o.disposition] ?? o.disposition),
      h('dt', {}, 'Management'),
      h('dd', { class: 'prewrap' }, o.management || '—'),
      differential.length ? [h('dt', {}, 'Also consider'), h('dd', {}, h('ul', {}, differential.map((d) => h('li', {}, diagnosisText(d)))))] : null,
    ),
  );
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
function opinionsSection(c, user, refresh) {
  const opinions = c.opinions ?? [];
  const section = h('section', { class: 'card', id: 'opinions', 'aria-labelledby': 'opinions-h' }, h('h2', { id: 'opinions-h' }, 'Specialist opinions'));
  const answered = c.status === 'answered' || (c.status === 'closed' && opinions.length > 0);

  if (user.role === 'reviewer') {
    const mine = opinions.find((o) => o.reviewer?.id === user.id || o.reviewerId === user.id);
    if (!mine) {
      if (OPEN.has(c.status) && c.status !== 'needs_info') section.append(opinionForm(c, refresh));
      else section.append(h('p', { class: 'muted' }, c.status === 'needs_info' ? 'Waiting for the referrer before more opinions.' : 'No opinion from you on this case.'));
      section.append(h('p', { class: 'muted small' }, 'Other specialists’ opinions are shown after you have given yours.'));
      return section;
    }
  }

  if (answered) {
    const consensus = consensusOf(c);
    if (consensus) {
      section.append(
        h(
          'div',
          { class: 'consensus', id: 'consensus', role: 'note' },
          h('p', { class: 'consensus-label' }, 'Consensus diagnosis'),
          h('p', { class: 'consensus-diagnosis' }, diagnosisText(consensus.diagnosis)),
          consensus.agreement !== undefined && consensus.agreement !== null ? h('p', { class: 'muted' }, `${Math.round(consensus.agreement * 100)}% of ${opinions.length} specialists agree`) : null,
        ),
      );
    }
  } else if (user.role === 'clinician') {
    section.append(h('p', { class: 'muted' }, 'The opinions appear here once the specialists agree.'));
  }
  if (opinions.length) section.append(h('div', { class: 'opinions' }, opinions.map((o) => opinionCard(o, user))));
  else if (user.role !== 'clinician') section.append(h('p', { class: 'muted' }, 'No opinions yet.'));
  return section;
}

/**
 * @param {string} prefix
 * @param {string} label
 * @param {boolean} required
 */
function diagnosisInputs(prefix, label, required) {
  const text = h('input', { type: 'text', name: `${prefix}-text`, maxlength: '500', autocomplete: 'off' });
  const code = h('input', { type: 'text', name: `${prefix}-code`, maxlength: '32', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', class: 'code-input' });
  const system = select(`${prefix}-system`, [
    ['icd10', 'ICD-10'],
    ['snomed', 'SNOMED CT'],
  ]);
  const el = h(
    'div',
    { class: 'diagnosis-inputs' },
    field(label, text, { required }),
    h('div', { class: 'row' }, field('Code (optional)', code, { hint: 'For example L40.0' }), field('Code system', system)),
  );
  return {
    el,
    text,
    value() {
      /** @type {{ text: string, code?: string, system?: string }} */
      const value = { text: text.value.trim() };
      if (code.value.trim()) {
        value.code = code.value.trim();
        value.system = system.value;
      }
      return value;
    },
  };
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function opinionForm(c, refresh) {
  const diagnosis = diagnosisInputs('diagnosis', 'Diagnosis', true);
  const differentialList = h('div', { class: 'differential-list' });
  /** @type {ReturnType<typeof diagnosisInputs>[]} */
  const differential = [];
  const addDifferential = () => {
    const d = diagnosisInputs(`differential-${differential.length + 1}`, `Other possible diagnosis ${differential.length + 1}`, false);
    differential.push(d);
    differentialList.append(d.el);
    return d;
  };
  addDifferential();
  const confidence = select('confidence', Object.entries(CONFIDENCE_LABELS), 'medium');
  const management = h('textarea', { name: 'management', rows: '4', maxlength: '5000' });
  const disposition = select('disposition', [['', 'Choose…'], ...Object.entries(DISPOSITION_LABELS)], '');
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-opinion' }, 'Give opinion');
  const form = h(
    'form',
    { class: 'opinion-form', id: 'opinion-form', novalidate: true },
    h('h3', {}, 'Your opinion'),
    diagnosis.el,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Differential diagnosis'),
      differentialList,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => addDifferential().text.focus(),
        },
        'Add another diagnosis',
      ),
    ),
    h('div', { class: 'row' }, field('Confidence', confidence, { required: true }), field('What should happen', disposition, { required: true })),
    field('Management advice', management, { required: true, hint: 'Treatment, tests, what to tell the patient, when to come back' }),
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    /** @type {Array<[HTMLElement, string]>} */
    const missing = [];
    if (!diagnosis.text.value.trim()) missing.push([diagnosis.text, 'Enter a diagnosis.']);
    if (!disposition.value) missing.push([disposition, 'Choose what should happen.']);
    if (!management.value.trim()) missing.push([management, 'Write the management advice.']);
    if (missing.length) {
      mount(errors, notice('error', h('ul', {}, missing.map(([, t]) => h('li', {}, t)))));
      /** @type {[HTMLElement, string]} */ (missing[0])[0].focus();
      return;
    }
    await busy(submit, async () => {
      submit.textContent = 'Sending…';
      try {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/opinions`, {
          diagnosis: diagnosis.value(),
          differential: differential.map((d) => d.value()).filter((d) => d.text),
          confidence: confidence.value,
          management: management.value.trim(),
          disposition: disposition.value,
        });
        claimedCases.remove(c.id);
        await refresh('Your opinion is saved.');
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  return form;
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 */
function reviewerActions(c, user, queues, refresh) {
  const mine = (c.opinions ?? []).some((o) => o.reviewer?.id === user.id || o.reviewerId === user.id);
  if (mine || !OPEN.has(c.status)) return null;
  const errors = h('div', { class: 'form-errors' });
  const release = h('button', { type: 'button', class: 'secondary', id: 'release-case' }, 'Release back to the queue');
  release.addEventListener('click', () =>
    busy(release, async () => {
      try {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/release`);
        claimedCases.remove(c.id);
        flashNext('ok', 'The case is back in the queue.');
        navigate('/queues');
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    }),
  );
  const reroute = rerouteForm(
    c,
    queues.filter((q) => (user.queues ?? []).includes(q.slug)),
    refresh,
    (error) => mount(errors, notice('error', errorMessage(error))),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'review-actions-h' },
    h('h2', { id: 'review-actions-h' }, 'Your review'),
    claimedCases.has(c.id) ? h('p', { class: 'muted' }, 'You have taken this case. Release it if you cannot give an opinion now.') : null,
    h('div', { class: 'actions' }, release),
    reroute,
    errors,
  );
}

/**
 * @param {CaseView} c
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 * @param {(error: unknown) => void} onError
 */
function rerouteForm(c, queues, refresh, onError) {
  const queueSelect = select('queue', [['', 'Choose a queue…'], ...queues.filter((q) => q.slug !== c.queue).map((q) => [q.slug, q.name])], '');
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Move');
  const form = h('form', { class: 'inline-form', id: 'reroute-form' }, field('Move to another queue', queueSelect), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!queueSelect.value) return;
    await busy(submit, async () => {
      try {
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/reroute`, { queue: queueSelect.value });
        claimedCases.remove(c.id);
        await refresh(`Moved to ${queueSelect.selectedOptions[0]?.textContent ?? queueSelect.value}.`);
      } catch (error) {
        onError(error);
      }
    });
  });
  return queueSelect.options.length > 1 ? form : null;
}

/**
 * @param {CaseView} c
 * @param {Queue[]} queues
 * @param {Refresh} refresh
 */
function adminActions(c, queues, refresh) {
  const errors = h('div', { class: 'form-errors' });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'admin-actions-h' },
    h('h2', { id: 'admin-actions-h' }, 'Routing'),
    rerouteForm(c, queues, refresh, (error) => mount(errors, notice('error', errorMessage(error)))),
    errors,
  );
}

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 * @param {Refresh} refresh
 */
function discussionSection(c, user, refresh) {
  const messages = [...(c.messages ?? [])].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '5000' });
  const requestInfo = h('input', { type: 'checkbox', name: 'requestInfo', id: uid('request-info') });
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-message' }, 'Send');
  const canWrite = c.status !== 'closed' && user.role !== 'admin';
  const form = h(
    'form',
    { class: 'message-form', id: 'message-form', novalidate: true },
    field(user.role === 'clinician' ? 'Your reply or comment' : 'Message', body, { required: true }),
    user.role === 'reviewer' && OPEN.has(c.status) && c.status !== 'needs_info'
      ? h('div', { class: 'check' }, requestInfo, h('label', { for: requestInfo.id }, 'Ask the referring clinician for more information (the case waits for their answer)'))
      : null,
    errors,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    if (!body.value.trim()) {
      mount(errors, notice('error', 'Write a message first.'));
      body.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        /** @type {{ body: string, requestInfo?: boolean }} */
        const payload = { body: body.value.trim() };
        if (requestInfo.checked) payload.requestInfo = true;
        await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/messages`, payload);
        await refresh(requestInfo.checked ? 'Question sent: the case waits for the referrer.' : 'Message sent.');
      } catch (error) {
        mount(errors, notice('error', errorMessage(error)));
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'discussion', 'aria-labelledby': 'discussion-h' },
    h('h2', { id: 'discussion-h' }, 'Discussion'),
    messages.length
      ? h(
          'ol',
          { class: 'messages' },
          messages.map((m) => {
            const mine = m.author?.id === user.id || m.authorId === user.id;
            return h(
              'li',
              { class: ['message', mine ? 'message-mine' : null, m.requestInfo ? 'message-request' : null] },
              h('p', { class: 'message-meta' }, `${mine ? 'You' : (m.author?.name ?? m.authorName ?? 'Someone')}${m.author?.role ? ` (${m.author.role})` : ''} · ${dateTime(m.createdAt)}`, m.requestInfo ? h('span', { class: 'badge badge-needs_info' }, 'Asked for more information') : null),
              h('p', { class: 'message-body prewrap' }, m.body),
            );
          }),
        )
      : h('p', { class: 'muted' }, 'No messages yet.'),
    canWrite ? form : null,
  );
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function addPhotosSection(c, refresh) {
  const picker = photoPicker({ legend: 'Add photos', kinds: ['overview', 'closeup', 'dermoscopy', 'followup'], defaultKind: 'closeup' });
  const progress = progressBar('Uploading photos');
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send-photos' }, 'Send photos');
  const form = h('form', { class: 'card', id: 'add-photos-form', novalidate: true }, picker.el, progress.el, errors, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    if (!picker.count) {
      mount(errors, notice('error', 'Choose at least one photo.'));
      picker.focus();
      return;
    }
    const data = new FormData();
    picker.appendTo(data);
    submit.disabled = true;
    progress.set(0);
    try {
      await upload(`/api/v1/cases/${encodeURIComponent(c.id)}/photos`, data, (f) => progress.set(f));
      picker.clear();
      await refresh('Photos added.');
    } catch (error) {
      progress.done();
      mount(errors, notice('error', errorMessage(error)));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** @param {CaseView} c */
function followUpSection(c) {
  const days = select('expiresInDays', [
    ['3', '3 days'],
    ['7', '7 days'],
    ['14', '14 days'],
    ['30', '30 days'],
  ], '14');
  const maxPhotos = h('input', { type: 'number', name: 'maxPhotos', min: '1', max: '20', value: '5', inputmode: 'numeric' });
  const result = h('div', { class: 'follow-up-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'secondary', id: 'make-link' }, 'Make a follow-up link');
  const form = h(
    'form',
    { class: 'card', id: 'follow-up-form', novalidate: true },
    h('h2', {}, 'Follow-up photos from the patient'),
    h('p', { class: 'muted' }, 'A link the patient can open on a phone to send new photos. It shows nothing about the case.'),
    h('div', { class: 'row' }, field('Link works for', days), field('Most photos', maxPhotos)),
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(submit, async () => {
      try {
        /** @type {{ expiresInDays: number, maxPhotos?: number }} */
        const body = { expiresInDays: Number(days.value) };
        if (maxPhotos.value) body.maxPhotos = Number(maxPhotos.value);
        const link = /** @type {CreatedFollowUpLink} */ (await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/follow-up-links`, body));
        const url = h('input', { type: 'text', readonly: true, value: link.url, id: uid('link'), class: 'link-output', onfocus: (e) => /** @type {HTMLInputElement} */ (e.target).select() });
        const copied = h('span', { class: 'copied', role: 'status' });
        const copy = h('button', { type: 'button', class: 'primary', id: 'copy-link' }, 'Copy link');
        copy.addEventListener('click', async () => {
          try {
            await navigator.clipboard.writeText(link.url);
            copied.textContent = 'Copied.';
          } catch {
            url.focus();
            url.select();
            copied.textContent = 'Press Ctrl+C (or long-press and Copy) to copy.';
          }
        });
        mount(
          result,
          field('Follow-up link (shown only now)', url, { hint: `Works until ${dateTime(link.expiresAt)}. Give it to the patient only.` }),
          h('div', { class: 'actions' }, copy, copied),
        );
      } catch (error) {
        mount(result, notice('error', errorMessage(error)));
      }
    });
  });
  return form;
}

/**
 * @param {CaseView} c
 * @param {Refresh} refresh
 */
function closeSection(c, refresh) {
  const errors = h('div', { class: 'form-errors' });
  const close = h('button', { type: 'button', class: 'secondary', id: 'close-case' }, 'Close case');
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  close.addEventListener('click', () => {
    confirmBox.hidden = false;
    close.hidden = true;
    mount(
      confirmBox,
      h('p', {}, c.status === 'answered' ? 'Close this case? It stays readable.' : 'This case has no answer yet. Close it anyway?'),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger-button',
            id: 'confirm-close',
            onclick: async (e) =>
              busy(/** @type {HTMLButtonElement} */ (e.currentTarget), async () => {
                try {
                  await api.post(`/api/v1/cases/${encodeURIComponent(c.id)}/close`);
                  await refresh('Case closed.');
                } catch (error) {
                  mount(errors, notice('error', errorMessage(error)));
                }
              }),
          },
          'Yes, close it',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              confirmBox.hidden = true;
              close.hidden = false;
              close.focus();
            },
          },
          'Keep it open',
        ),
      ),
    );
    confirmBox.querySelector('button')?.focus();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'close-h' }, h('h2', { id: 'close-h' }, 'Close'), close, confirmBox, errors);
}

/** @param {CaseView} c */
function timelineSection(c) {
  const timeline = c.timeline ?? [];
  if (!timeline.length) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-h' },
    h('h2', { id: 'timeline-h' }, 'History of this case'),
    h(
      'ol',
      { class: 'timeline' },
      timeline.map((t) => {
        // NOTE: the API sends `by` as a user id (or null), not a person, so no name is shown here.
        const by = /** @type {{ name?: string } | null} */ (/** @type {unknown} */ (t.by));
        return h(
          'li',
          {},
          h('span', { class: 'timeline-status' }, statusLabel(t.status)),
          ' · ',
          dateTime(t.at),
          by?.name ? ` · ${by.name}` : '',
          // Why the service decided this on its own (e.g. routed to general: no reviewer in the chosen queue).
          t.reason ? h('div', { class: 'timeline-reason muted' }, t.reason) : null,
        );
      }),
    ),
  );
}


