// The case page, one for every role: details, photos in a zoomable viewer (with follow-ups side by side),
// opinions (blinded for reviewers until they have given theirs), discussion, and the actions each role has.
// Each section is its own module in this folder.
import { api } from '../../api.js';
import { h, mount, notice } from '../../dom.js';
import { currentPath } from '../../router.js';
import { pageHeading, statusBadge, urgencyBadge } from '../../ui.js';
import { OPEN } from './shared.js';
import { answerSummary } from './answer.js';
import { detailsSection } from './details.js';
import { photosSection } from './photos.js';
import { opinionsSection } from './opinions.js';
import { adminActions, closeSection, reviewerActions } from './actions.js';
import { addPhotosSection, discussionSection } from './discussion.js';
import { followUpSection } from './follow-up-links.js';
import { timelineSection } from './history.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {import('../../photo-viewer.js').PhotoViewer} PhotoViewer */
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
