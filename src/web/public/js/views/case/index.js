// The case page, one for every role: details, photos in a zoomable viewer with their follow-up timeline (two of
// them compared side by side), opinions (blinded for reviewers until they have given theirs), discussion, and
// the actions each role has. A reviewer who may give an opinion gets the workspace: photos filling the screen,
// the details beside the opinion form. Keyboard shortcuts for photos, zoom and actions are listed behind "?".
// Each section is its own module in this folder.
import { api } from '../../api.js';
import { h, mount, notice } from '../../dom.js';
import { currentPath } from '../../router.js';
import { setPageShortcuts } from '../../shortcuts.js';
import { pageHeading, statusBadge, urgencyBadge } from '../../ui.js';
import { OPEN } from './shared.js';
import { answerSummary } from './answer.js';
import { detailsSection } from './details.js';
import { compareSection, photosSection } from './photos.js';
import { canGiveOpinion, opinionsSection, takeNextCase } from './opinions.js';
import { adminActions, closeSection, reviewerActions } from './actions.js';
import { awaitsReply, discussionSection } from './discussion.js';
import { followUpSection } from './follow-up-links.js';
import { timelineSection } from './history.js';
import { photoTimeline } from './timeline-photos.js';
import { workspaceLayout } from './workspace.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../photo-viewer.js').PhotoViewer} PhotoViewer */
/** @typedef {import('../../shortcuts.js').Shortcut} Shortcut */
/** @typedef {import('../../../../types.js').Queue} Queue */
/** @typedef {import('../../../../types.js').SessionUser} SessionUser */
/** @typedef {import('./shared.js').Refresh} Refresh */
/** @typedef {import('../../../../types.js').ViewContext} ViewContext */

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
  /** @type {Array<() => void>} what the drawn page holds (viewers, listeners, shortcuts), let go when it is drawn again or left */
  let releases = [];
  // Kept while the page is redrawn (after an opinion, a message): the photo being looked at, and what was new
  // when the page was opened (the server's `lastVisitAt` moves on with every read of the case).
  /** @type {string | null} */
  let selectedPhotoId = null;
  /** @type {string | null | undefined} */
  let lastVisitAt;
  // Admins may move any case; reviewers only between their own queues.
  const allQueues = user.role === 'clinician' ? [] : /** @type {Queue[]} */ (await api.get('/api/v1/queues').catch(() => []));

  function release() {
    for (const viewer of viewers) viewer.destroy();
    viewers = [];
    for (const fn of releases) fn();
    releases = [];
  }

  /** @type {Refresh} */
  async function refresh(message) {
    const c = /** @type {CaseView} */ (await api.get(`/api/v1/cases/${encodeURIComponent(id)}`));
    if (!ctx.isCurrent() || currentPath() !== `/cases/${id}`) return;
    release();
    lastVisitAt ??= c.lastVisitAt ?? null;
    const page = render(c, lastVisitAt);
    mount(main, message ? notice('ok', message) : null, page);
  }

  /**
   * @param {CaseView} c
   * @param {string | null} previousVisit
   */
  function render(c, previousVisit) {
    const isReferrer = user.role === 'clinician' && c.referrer.id === user.id;
    const isReviewer = user.role === 'reviewer';
    const timeline = photoTimeline(c.photos ?? [], { lastVisitAt: previousVisit, isReferrer });
    const photos = photosSection(timeline, {
      viewers,
      selectedId: selectedPhotoId,
      onSelect: (photo) => {
        selectedPhotoId = photo.id;
      },
    });
    const compare = compareSection(timeline, viewers);
    const workspace = canGiveOpinion(c, user);
    const head = [
      pageHeading(
        `${c.patientRef ?? 'Case'} · ${c.bodySite ?? ''}`,
        h('div', { class: 'case-badges' }, statusBadge(c.status), urgencyBadge(c.urgency), c.queue ? h('span', { class: 'badge badge-queue' }, c.queue) : null),
        h('div', { class: 'case-keys' }, workspace ? h('a', { href: '#opinion-form', class: 'to-opinion', onclick: focusOpinionForm }, 'Go to your opinion (O)') : null, shortcutsHint()),
      ),
      statusHelp(c, user),
      answerSummary(c, user),
    ];
    /** @type {Array<HTMLElement | null>} */
    const more = [];
    if (isReviewer) more.push(reviewerActions(c, user, allQueues, refresh));
    if (user.role === 'admin' && OPEN.has(c.status)) more.push(adminActions(c, allQueues, refresh));
    // A referrer asked for more information sees the question and the one reply form first.
    const replyFirst = awaitsReply(c, user);
    const discussion = discussionSection(c, user, refresh);
    if (!replyFirst) more.push(discussion);
    if ((isReferrer || isReviewer) && c.status !== 'closed') more.push(followUpSection(c, user));
    if ((isReferrer || user.role === 'admin') && c.status !== 'closed') more.push(closeSection(c, refresh));
    more.push(timelineSection(c));

    releases.push(setPageShortcuts(caseShortcuts(c, photos, workspace, isReviewer)));
    const attrs = { id: 'case-page', dataset: { caseId: c.id, status: c.status, layout: workspace ? 'workspace' : 'case' } };
    if (workspace) {
      const layout = workspaceLayout({ photos: photos.el, aside: [detailsSection(c), opinionsSection(c, user, refresh)], more: [compare, ...more] });
      releases.push(layout.destroy);
      return h('div', { class: 'case-page case-page-workspace', ...attrs }, head, layout.el);
    }
    // Two columns on wide screens: what is looked at (photos, details) and what is done (opinions, talk, actions).
    const mainColumn = [photos.el, compare, detailsSection(c)];
    return h('div', { class: 'case-page', ...attrs }, head, h('div', { class: 'case-main' }, mainColumn), h('div', { class: 'case-side' }, replyFirst ? discussion : null, opinionsSection(c, user, refresh), more));
  }

  await refresh();
  return release;
}

/**
 * The case page's keys: photos and zoom (the main viewer), then what the person can do here.
 * @param {CaseView} c
 * @param {ReturnType<typeof photosSection>} photos
 * @param {boolean} withForm the opinion form is on the page
 * @param {boolean} isReviewer
 * @returns {Shortcut[]}
 */
function caseShortcuts(c, photos, withForm, isReviewer) {
  /** @type {Shortcut[]} */
  const list = [];
  if (photos.viewer) {
    list.push(
      { group: 'Photos', keys: ['j', ']'], label: 'Next photo', run: () => photos.step(1) },
      { group: 'Photos', keys: ['k', '['], label: 'Previous photo', run: () => photos.step(-1) },
      ...photos.viewer.keyActions().map((a) => ({ ...a, group: 'Photos' })),
    );
  }
  if (withForm) {
    list.push(
      { group: 'Actions', keys: ['o'], label: 'Go to your opinion (Diagnosis)', run: () => focusOpinionForm() },
      {
        group: 'Actions',
        keys: ['n'],
        label: 'Go to “Give opinion and take next”',
        run: () => document.getElementById('submit-opinion-next')?.focus(),
      },
    );
  } else if (isReviewer) {
    list.push({ group: 'Actions', keys: ['n'], label: 'Take the next case of this queue', run: () => void takeNextCase(c.queue) });
  }
  return list;
}

/** @param {Event} [event] */
function focusOpinionForm(event) {
  event?.preventDefault();
  const diagnosis = /** @type {HTMLInputElement | null} */ (document.querySelector('#opinion-form input[name="diagnosis-text"]'));
  diagnosis?.focus();
  diagnosis?.scrollIntoView({ block: 'nearest' });
}

function shortcutsHint() {
  return h('span', { class: 'muted small shortcuts-hint' }, 'Press ', h('kbd', {}, '?'), ' for keyboard shortcuts');
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
      needs_info: 'A specialist asked for more information: answer the question below, with photos if they help.',
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
