// The reviewer's start page: their queues with the load of each, "take next case", and each queue's open cases,
// overdue first. Kept up to date while open: the counts from the live `queue.counts` event, the rest drawn again
// when a case of these queues is sent or changes.
import { api, session } from '../api.js';
import { byDeadline, caseRow } from '../case-row.js';
import { buttonAction } from '../form.js';
import { h, mount, notice } from '../dom.js';
import { minutes } from '../format.js';
import { formatNumber, t } from '../i18n.js';
import { coalesce, onLive } from '../live.js';
import { navigate } from '../router.js';
import { emptyState, flashNext, loading, pageHeading } from '../ui.js';
import { ownConcordance } from './concordance.js';

/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../types.js').UserBody} UserBody */
/** @typedef {import('../../../types.js').CaseSummaryBody} CaseSummaryBody */
/** @typedef {import('../../../types.js').Page<CaseSummaryBody>} CasePage */
/** @typedef {import('../live.js').LiveEvents['queue.counts']} QueueCounts */

const CLAIMS_KEY = 'derm.claims';

/** Cases this reviewer took in this browser session, so the case page can offer "release". */
export const claimedCases = {
  /** @returns {string[]} ids of the cases */
  all() {
    try {
      return JSON.parse(sessionStorage.getItem(CLAIMS_KEY) || '[]');
    } catch {
      return [];
    }
  },
  /** @param {string} id */
  has(id) {
    return this.all().includes(id);
  },
  /** @param {string} id */
  add(id) {
    sessionStorage.setItem(CLAIMS_KEY, JSON.stringify([...new Set([...this.all(), id])]));
  },
  /** @param {string} id */
  remove(id) {
    sessionStorage.setItem(CLAIMS_KEY, JSON.stringify(this.all().filter((x) => x !== id)));
  },
};

/**
 * Takes the next case of a queue for this reviewer (remembered as taken in this tab).
 * @param {string} slug
 * @returns {Promise<CaseBody | null>} the case, null when nothing is waiting for this reviewer
 */
export async function claimNext(slug) {
  // The case, with its claim; null (204) when nothing is waiting.
  const claimed = /** @type {CaseBody | null} */ (await api.post(`/api/v1/queues/${encodeURIComponent(slug)}/claim`));
  if (claimed) claimedCases.add(claimed.id);
  return claimed;
}

/**
 * Opens a case this reviewer has just taken.
 * @param {string} id
 * @param {string} [done] what was done before, said first ("Your opinion is saved. ")
 */
export function openTakenCase(id, done = '') {
  flashNext('ok', t('web-admin.my-queues.taken', { done }));
  navigate(`/cases/${encodeURIComponent(id)}`);
}

/** The statuses of a case still waiting for its answer. */
const OPEN_STATUSES = ['queued', 'in_review', 'disputed', 'needs_info'];
/** Cases listed under a queue; the rest are counted. */
const CASES_SHOWN = 10;

/**
 * A queue's load in words that agree with what "Take next case" finds: `open` counts every case not yet
 * answered (also those in review with other specialists and those waiting for the referrer), while only a
 * case with an opinion still to give can be taken. The live counts, once they have come, say how many; the
 * queue list says for how long the oldest has waited.
 * @param {Queue} q
 * @param {QueueCounts | undefined} counts
 */
function queueStats(q, counts) {
  /**
   * @param {string} term
   * @param {import('../../../types.js').Child} value
   * @param {string} [cls]
   */
  const stat = (term, value, cls) => h('div', {}, h('dt', {}, term), h('dd', { class: cls }, value));
  const waiting = counts ? counts.waiting > 0 : q.oldestWaitingMinutes !== null;
  return h(
    'dl',
    { class: 'stats-inline' },
    stat(
      t('web-admin.my-queues.waiting'),
      !waiting ? t('web-admin.my-queues.none') : q.oldestWaitingMinutes === null ? t('web-admin.my-queues.yes') : t('web-admin.my-queues.yes-for', { time: minutes(q.oldestWaitingMinutes) }),
      'queue-waiting',
    ),
    stat(t('web-admin.my-queues.open'), formatNumber(counts?.open ?? q.open), 'queue-open'),
    stat(t('web-admin.queues.opinions-needed'), formatNumber(q.quorum)),
    stat(
      t('web-admin.my-queues.reviewers'),
      q.reviewers > 0 ? formatNumber(q.reviewers) : q.slug === 'general' ? t('web-admin.my-queues.none') : t('web-admin.my-queues.none-routed'),
      q.reviewers === 0 ? 'queue-uncovered' : undefined,
    ),
  );
}

/**
 * When "Take next case" finds nothing: why, in the terms of the card's figures.
 * @param {Queue} q the queue as it is now
 */
function nothingWaiting(q) {
  const why =
    q.oldestWaitingMinutes !== null
      ? t('web-admin.my-queues.why-yours')
      : q.open > 0
        ? t('web-admin.my-queues.why-elsewhere', { open: q.open })
        : '';
  return notice('ok', t('web-admin.my-queues.nothing-waiting'), why ? h('p', { class: 'small' }, why) : null);
}

/**
 * The open cases of the given queues (a reviewer sees only their own queues' cases), overdue first.
 * @returns {Promise<Map<string, CaseSummaryBody[]>>} by queue slug
 */
async function openCasesByQueue() {
  const pages = /** @type {CasePage[]} */ (await Promise.all(OPEN_STATUSES.map((status) => api.get('/api/v1/cases', { status, limit: 200 }))));
  /** @type {Map<string, CaseSummaryBody[]>} */
  const byQueue = new Map();
  for (const c of pages.flatMap((page) => page.items)) byQueue.set(c.queue, [...(byQueue.get(c.queue) ?? []), c]);
  for (const list of byQueue.values()) list.sort(byDeadline);
  return byQueue;
}

/**
 * A queue's open cases, overdue first; the first few listed, the rest counted.
 * @param {CaseSummaryBody[]} cases
 */
function openCasesList(cases) {
  if (!cases.length) return h('p', { class: 'muted queue-cases-empty' }, t('web-admin.my-queues.no-open-cases'));
  const rest = cases.length - CASES_SHOWN;
  return [
    h('ul', { class: 'case-list queue-cases' }, cases.slice(0, CASES_SHOWN).map(caseRow)),
    rest > 0 ? h('p', { class: 'muted small' }, t('web-admin.my-queues.more', { rest })) : null,
  ];
}

/**
 * "2 overdue" beside the queue's name, when any is.
 * @param {number} overdue
 */
function overdueMark(overdue) {
  return overdue > 0 ? h('span', { class: 'badge badge-overdue queue-overdue' }, t('web-admin.my-queues.overdue', { overdue })) : null;
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} _params
 * @param {ViewContext} ctx
 */
export async function queuesView(main, _params, ctx) {
  const status = h('div', {}, loading());
  const list = h('ul', { class: 'queue-list', id: 'queue-list' });
  mount(main, pageHeading(ctx.user.role === 'reviewer' ? t('web-admin.my-queues.heading') : t('web-admin.queues.heading')), status, list);

  let me = session.user;
  try {
    me = /** @type {UserBody} */ (await api.get('/api/v1/me'));
    session.setUser(me);
  } catch {
    // Fall back to what sign-in told us.
  }
  /** @param {Queue[]} all */
  const mineOf = (all) => (ctx.user.role === 'reviewer' ? all.filter((q) => (me?.queues ?? []).includes(q.slug)) : all);
  const [all, cases, concordance] = await Promise.all([/** @type {Promise<Queue[]>} */ (api.get('/api/v1/queues')), openCasesByQueue(), ctx.user.role === 'reviewer' ? ownConcordance() : null]);
  const mine = mineOf(all);
  status.replaceChildren();
  if (!mine.length) {
    mount(status, emptyState(t('web-admin.my-queues.in-none')));
    return;
  }
  const cards = mine.map((q) => queueCard(q, cases.get(q.slug) ?? [], ctx));
  list.append(...cards.map((card) => card.el));
  if (ctx.user.role === 'reviewer') {
    list.after(h('p', {}, h('a', { href: '#/cases' }, t('web-admin.my-queues.all-cases'))));
  }
  if (concordance) main.append(concordance);

  const bySlug = new Map(cards.map((card) => [card.slug, card]));
  // A case of these queues sent, moved or changed: the figures and the lists drawn again.
  const live = coalesce(async () => {
    const [now, open] = await Promise.all([/** @type {Promise<Queue[]>} */ (api.get('/api/v1/queues')), openCasesByQueue()]);
    for (const q of mineOf(now)) bySlug.get(q.slug)?.update(q, open.get(q.slug) ?? []);
  });
  /** @param {{ queue: string, previousQueue?: string }} event */
  const ifMine = (event) => {
    if (bySlug.has(event.queue) || (event.previousQueue && bySlug.has(event.previousQueue))) live.schedule();
  };
  const stopListening = [
    onLive('queue.counts', (counts) => bySlug.get(counts.queue)?.setCounts(counts)),
    onLive('case.created', ifMine),
    onLive('case.updated', ifMine),
    onLive('resync', live.schedule),
  ];
  return () => {
    live.cancel();
    for (const stop of stopListening) stop();
  };
}

/**
 * One queue's card: its figures, "Take next case", and its open cases; update() and setCounts() draw it again
 * in place (what "Take next case" said stays).
 * @param {Queue} queue
 * @param {CaseSummaryBody[]} cases
 * @param {ViewContext} ctx
 */
function queueCard(queue, cases, ctx) {
  let q = queue;
  /** @type {QueueCounts | undefined} */
  let counts;
  const result = h('div', { class: 'claim-result', 'aria-live': 'polite' });
  const stats = h('div', { class: 'queue-stats' }, queueStats(q, counts));
  const mark = h('span', { class: 'queue-marks' }, overdueMark(cases.filter((c) => c.overdue).length));
  const openCases = h('div', { class: 'queue-open-cases' }, openCasesList(cases));
  const take = h('button', { type: 'button', class: 'primary', dataset: { queue: q.slug } }, t('web-admin.my-queues.take'));
  take.addEventListener('click', () =>
    buttonAction(
      take,
      result,
      async () => {
        const claimed = await claimNext(q.slug);
        if (claimed) {
          openTakenCase(claimed.id);
          return;
        }
        // The figures may be older than the answer: brought up to date, so that they agree with it.
        q = (/** @type {Queue[]} */ (await api.get('/api/v1/queues'))).find((x) => x.slug === q.slug) ?? q;
        counts = undefined;
        mount(stats, queueStats(q, counts));
        mount(result, nothingWaiting(q));
      },
      t('web-admin.my-queues.taking'),
    ),
  );
  const el = h(
    'li',
    { class: 'card queue-card', dataset: { queue: q.slug } },
    h('div', { class: 'queue-head' }, h('h2', {}, q.name), mark),
    q.description ? h('p', { class: 'muted' }, q.description) : null,
    stats,
    ctx.user.role === 'reviewer' ? h('div', { class: 'actions' }, take) : null,
    result,
    h('h3', { class: 'queue-cases-h' }, t('web-admin.my-queues.open-cases')),
    openCases,
  );
  return {
    slug: q.slug,
    el,
    /**
     * @param {Queue} now
     * @param {CaseSummaryBody[]} open
     */
    update(now, open) {
      q = now;
      mount(stats, queueStats(q, counts));
      if (!counts) mount(mark, overdueMark(open.filter((c) => c.overdue).length));
      mount(openCases, openCasesList(open));
    },
    /** @param {QueueCounts} now */
    setCounts(now) {
      counts = now;
      mount(stats, queueStats(q, counts));
      mount(mark, overdueMark(counts.overdue));
    },
  };
}
