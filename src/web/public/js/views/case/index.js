// The case page, one for every role: details, photos in a zoomable viewer with their follow-up timeline (two of
// them compared side by side), opinions (blinded for reviewers until they have given theirs), discussion, and
// the actions each role has. A reviewer who may give an opinion gets the workspace: photos filling the screen,
// the details beside the opinion form. Keyboard shortcuts for photos, zoom and actions are listed behind "?".
// It follows the case live: a change made elsewhere is drawn in place, keeping what the person is doing.
// Each section is its own module in this folder.
import { api } from '../../api.js';
import { h, mount, notice } from '../../dom.js';
import { statusLabel } from '../../format.js';
import { carryOver, rememberFocus, watchInput } from '../../keep-input.js';
import { coalesce, onLive } from '../../live.js';
import { currentPath } from '../../router.js';
import { setPageShortcuts } from '../../shortcuts.js';
import { t } from '../../i18n.js';
import { dueNote, pageHeading, statusBadge, urgencyBadge } from '../../ui.js';
import { OPEN } from './shared.js';
import { answerSummary } from './answer.js';
import { detailsSection } from './details.js';
import { compareSection, photosSection } from './photos.js';
import { canGiveOpinion, opinionsSection, takeNextCase } from './opinions.js';
import { adminActions, closeSection, reviewerActions } from './actions.js';
import { awaitsReply, discussionSection } from './discussion.js';
import { followUpSection } from './follow-up-links.js';
import { timelineSection } from './history.js';
import { outcomeSection } from './outcome.js';
import { teachingSection } from './teaching.js';
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
 * A drawing of the page: its element, its photo parts (kept when the page is drawn again with the same photos) and
 * what it holds (viewers, listeners, shortcuts), let go when it is replaced or left.
 * @typedef {object} Drawing
 * @property {HTMLElement} el
 * @property {string} photoKey the photos' ids
 * @property {ReturnType<typeof photosSection>} photos
 * @property {HTMLElement | null} compare
 * @property {PhotoViewer[]} viewers
 * @property {Array<() => void>} releases
 * @property {string} [version] what the case was when drawn (updatedAt, status, counts): a live update finding it unchanged draws nothing
 */

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} params
 * @param {ViewContext} ctx
 */
export async function caseView(main, params, ctx) {
  const user = ctx.user;
  const id = /** @type {string} */ (params.id); // the route is /cases/:id
  /** @type {Drawing | null} the page on screen */
  let shown = null;
  // Kept while the page is redrawn (after an opinion, a message): the photo being looked at, what was new when
  // the page was opened (the server's `lastVisitAt` moves on with every read of the case), and the message
  // about what the person just did.
  /** @type {string | null} */
  let selectedPhotoId = null;
  /** @type {string | null | undefined} */
  let lastVisitAt;
  /** @type {string | undefined} */
  let message;
  let draws = 0;
  // A drawing the person asked for (after their opinion, their message) is under way: a live update that
  // overtakes it is drawn as that one, since what they typed has been sent, not lost.
  let ownDrawPending = false;
  // Admins may move any case; reviewers only between their own queues.
  const allQueues = user.role === 'clinician' ? [] : /** @type {Queue[]} */ (await api.get('/api/v1/queues').catch(() => []));

  /** @param {Drawing} drawing */
  function release(drawing) {
    for (const viewer of drawing.viewers) viewer.destroy();
    for (const fn of drawing.releases) fn();
    drawing.viewers = [];
    drawing.releases = [];
  }

  /** @type {Refresh} */
  async function refresh(text) {
    message = text;
    await draw(false);
  }

  /**
   * Fetches the case and draws it. A live update (the case changed elsewhere) keeps what the person is doing: the
   * photo viewers as they are when the photos are the same, what they typed, and the focus; when something typed
   * has no place on the new page, the page stays and says that the case has changed.
   * @param {boolean} live
   */
  async function draw(live) {
    const ticket = ++draws;
    if (!live) ownDrawPending = true;
    const c = /** @type {CaseView} */ (await api.get(`/api/v1/cases/${encodeURIComponent(id)}`));
    if (ticket !== draws || !ctx.isCurrent() || currentPath() !== `/cases/${id}`) return;
    if (ownDrawPending) live = false;
    ownDrawPending = false;
    // Events of the person's own change arrive around its own drawing: when the case is as shown, nothing is drawn
    // (a drawing then would only disturb what they are doing next, such as photos being chosen).
    const version = [c.updatedAt, c.status, c.overdue, c.photos.length, c.messages?.length ?? 0, c.opinions?.length ?? 0].join('|');
    if (live && shown?.version === version) return;
    lastVisitAt ??= c.lastVisitAt ?? null;
    const old = shown;
    const restoreFocus = live ? rememberFocus() : null;
    const next = { ...render(c, lastVisitAt), version };
    if (live && old && !carryOver(old.el, next.el)) {
      release(next);
      showChanged(c);
      return;
    }
    if (old && old.photoKey === next.photoKey) {
      // The same photos: their viewers stay as they are (the photo chosen, zoom, pan).
      next.photos.el.replaceWith(old.photos.el);
      if (old.compare) next.compare?.replaceWith(old.compare);
      for (const viewer of next.viewers) viewer.destroy();
      Object.assign(next, { photos: old.photos, compare: old.compare, viewers: old.viewers });
      old.viewers = [];
    } else {
      // New photos: the photo looked at stays zoomed where it was.
      const [before, after] = [old?.photos.viewer, next.photos.viewer];
      if (before && after && !before.atFit && after.photo?.id === before.photo?.id) after.startAt(before.relativeView());
    }
    if (old) release(old);
    next.releases.push(setPageShortcuts(caseShortcuts(c, next.photos, canGiveOpinion(c, user), user.role === 'reviewer')));
    shown = next;
    mount(main, message ? notice('ok', message) : null, next.el);
    watchInput(next.el);
    restoreFocus?.();
  }

  /**
   * The page stays as it is (something typed would be lost): it says the case has changed, and offers to show it.
   * @param {CaseView} c
   */
  function showChanged(c) {
    const update = h('button', { type: 'button', class: 'secondary', id: 'show-changes', onclick: () => void refresh(message) }, t('web-case.page.showChanges'));
    main.querySelector('#case-changed')?.remove();
    main.prepend(
      h(
        'div',
        { class: 'notice notice-ok case-changed', id: 'case-changed', role: 'status' },
        h('p', {}, t('web-case.page.changed', { status: statusLabel(c.status) })),
        update,
      ),
    );
  }

  /**
   * @param {CaseView} c
   * @param {string | null} previousVisit
   * @returns {Drawing}
   */
  function render(c, previousVisit) {
    const isReferrer = user.role === 'clinician' && c.referrer.id === user.id;
    const isReviewer = user.role === 'reviewer';
    /** @type {PhotoViewer[]} */
    const viewers = [];
    /** @type {Array<() => void>} */
    const releases = [];
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
        `${c.patientRef ?? t('web-case.row.case')} · ${c.bodySite ?? ''}`,
        h('div', { class: 'case-badges' }, statusBadge(c.status), urgencyBadge(c.urgency), c.queue ? h('span', { class: 'badge badge-queue' }, c.queue) : null, dueNote(c)),
        h('div', { class: 'case-keys' }, workspace ? h('a', { href: '#opinion-form', class: 'to-opinion', onclick: focusOpinionForm }, t('web-case.page.toOpinion')) : null, shortcutsHint()),
      ),
      statusHelp(c, user),
      answerSummary(c, user),
    ];
    /** @type {Array<HTMLElement | null>} */
    const more = [outcomeSection(c, user, refresh)];
    if (isReviewer) more.push(reviewerActions(c, user, allQueues, refresh));
    if (user.role === 'admin' && OPEN.has(c.status)) more.push(adminActions(c, allQueues, refresh));
    // A referrer asked for more information sees the question and the one reply form first.
    const replyFirst = awaitsReply(c, user);
    const discussion = discussionSection(c, user, refresh);
    if (!replyFirst) more.push(discussion);
    if ((isReferrer || isReviewer) && c.status !== 'closed') more.push(followUpSection(c, user));
    if ((isReferrer || user.role === 'admin') && c.status !== 'closed') more.push(closeSection(c, refresh));
    more.push(teachingSection(c, user, refresh));
    more.push(timelineSection(c));

    const attrs = { id: 'case-page', dataset: { caseId: c.id, status: c.status, layout: workspace ? 'workspace' : 'case' } };
    const drawing = { photoKey: c.photos.map((p) => p.id).join(' '), photos, compare, viewers, releases };
    if (workspace) {
      const layout = workspaceLayout({ photos: photos.el, aside: [detailsSection(c), opinionsSection(c, user, refresh)], more: [compare, ...more] });
      releases.push(layout.destroy);
      return { ...drawing, el: h('div', { class: 'case-page case-page-workspace', ...attrs }, head, layout.el) };
    }
    // Two columns on wide screens: what is looked at (photos, details) and what is done (opinions, talk, actions).
    const mainColumn = [photos.el, compare, detailsSection(c)];
    return {
      ...drawing,
      el: h('div', { class: 'case-page', ...attrs }, head, h('div', { class: 'case-main' }, mainColumn), h('div', { class: 'case-side' }, replyFirst ? discussion : null, opinionsSection(c, user, refresh), more)),
    };
  }

  // The case changed elsewhere (a reviewer's question, an answer, new photos): drawn again, a burst of events once.
  // Not while a photo is full screen: drawing moves it, which would end full screen; it is drawn when that ends.
  let waitingForFullscreen = false;
  const live = coalesce(() => {
    if (document.fullscreenElement && shown?.el.contains(document.fullscreenElement)) {
      waitingForFullscreen = true;
      return;
    }
    return draw(true);
  });
  const onFullscreenChange = () => {
    if (waitingForFullscreen && !document.fullscreenElement) {
      waitingForFullscreen = false;
      live.schedule();
    }
  };
  document.addEventListener('fullscreenchange', onFullscreenChange);
  /** @param {{ caseId: string }} event */
  const ifThisCase = (event) => {
    if (event.caseId === id) live.schedule();
  };
  const stopListening = [onLive('case.updated', ifThisCase), onLive('message.created', ifThisCase), onLive('photos.added', ifThisCase), onLive('resync', live.schedule)];

  await draw(false);
  return () => {
    live.cancel();
    for (const stop of stopListening) stop();
    document.removeEventListener('fullscreenchange', onFullscreenChange);
    if (shown) release(shown);
  };
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
  const [photosGroup, actionsGroup] = [t('web-case.shortcuts.photos'), t('web-case.shortcuts.actions')];
  if (photos.viewer) {
    list.push(
      { group: photosGroup, keys: ['j', ']'], label: t('web-case.shortcuts.nextPhoto'), run: () => photos.step(1) },
      { group: photosGroup, keys: ['k', '['], label: t('web-case.shortcuts.previousPhoto'), run: () => photos.step(-1) },
      ...photos.viewer.keyActions().map((a) => ({ ...a, group: photosGroup })),
    );
  }
  if (withForm) {
    list.push(
      { group: actionsGroup, keys: ['o'], label: t('web-case.shortcuts.toOpinion'), run: () => focusOpinionForm() },
      {
        group: actionsGroup,
        keys: ['n'],
        // Named by the button's own words, so that the list and the button say the same in every language.
        get label() {
          return t('web-case.shortcuts.toNext', { button: document.getElementById('submit-opinion-next')?.textContent ?? '' });
        },
        run: () => document.getElementById('submit-opinion-next')?.focus(),
      },
    );
  } else if (isReviewer) {
    list.push({ group: actionsGroup, keys: ['n'], label: t('web-case.shortcuts.takeNext'), run: () => void takeNextCase(c.queue) });
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
  // The key sits where the language puts it in the sentence.
  const KEY = '\u0001';
  const [before, after] = t('web-case.page.shortcutsHint', { key: KEY }).split(KEY);
  return h('span', { class: 'muted small shortcuts-hint' }, before, h('kbd', {}, '?'), after);
}

/** The statuses that have a line of help for each role (web-case.statusHelp.<role>.<status>). */
const STATUS_HELP = /** @type {Partial<Record<string, readonly string[]>>} */ ({
  clinician: ['queued', 'in_review', 'needs_info', 'disputed', 'answered', 'closed'],
  reviewer: ['needs_info', 'disputed'],
});

/**
 * @param {CaseView} c
 * @param {SessionUser} user
 */
function statusHelp(c, user) {
  if (!STATUS_HELP[user.role]?.includes(c.status)) return null;
  return h('p', { class: ['status-help', `status-help-${c.status}`] }, t(`web-case.statusHelp.${user.role}.${c.status}`));
}
