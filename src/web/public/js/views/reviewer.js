// The reviewer's start page: their queues with the load of each, and "take next case".
import { api, session } from '../api.js';
import { buttonAction } from '../form.js';
import { h, mount, notice } from '../dom.js';
import { minutes } from '../format.js';
import { navigate } from '../router.js';
import { emptyState, flashNext, loading, pageHeading } from '../ui.js';

/** @typedef {import('../../../types.js').Queue} Queue */
/** @typedef {import('../../../types.js').ViewContext} ViewContext */
/** @typedef {import('../../../types.js').CaseBody} CaseBody */
/** @typedef {import('../../../types.js').UserBody} UserBody */

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
  flashNext('ok', `${done}You have taken this case. Give your opinion, or release it.`);
  navigate(`/cases/${encodeURIComponent(id)}`);
}

/**
 * A queue's load in words that agree with what "Take next case" finds: `open` counts every case not yet
 * answered (also those in review with other specialists and those waiting for the referrer), while only a
 * case with an opinion still to give can be taken (`oldestWaitingMinutes` is null when there is none).
 * @param {Queue} q
 */
function queueStats(q) {
  /**
   * @param {string} term
   * @param {import('../../../types.js').Child} value
   * @param {string} [cls]
   */
  const stat = (term, value, cls) => h('div', {}, h('dt', {}, term), h('dd', { class: cls }, value));
  return h(
    'dl',
    { class: 'stats-inline' },
    stat('Waiting to be taken', q.oldestWaitingMinutes === null ? 'None' : `Yes, for ${minutes(q.oldestWaitingMinutes)}`, 'queue-waiting'),
    stat('Not yet answered', String(q.open), 'queue-open'),
    stat('Opinions needed', String(q.quorum)),
    stat('Reviewers', q.reviewers > 0 ? String(q.reviewers) : q.slug === 'general' ? 'None' : 'None (routed cases go to general)', q.reviewers === 0 ? 'queue-uncovered' : undefined),
  );
}

/**
 * When "Take next case" finds nothing: why, in the terms of the card's figures.
 * @param {Queue} q the queue as it is now
 */
function nothingWaiting(q) {
  const why =
    q.oldestWaitingMinutes !== null
      ? 'The cases waiting there already have your opinion, or you have taken them.'
      : q.open > 0
        ? `${q.open === 1 ? 'Its case not yet answered is' : `Its ${q.open} cases not yet answered are`} with other specialists or waiting for the referrer.`
        : '';
  return notice('ok', 'Nothing is waiting in this queue.', why ? h('p', { class: 'small' }, why) : null);
}

/**
 * @param {HTMLElement} main
 * @param {Record<string, string>} _params
 * @param {ViewContext} ctx
 */
export async function queuesView(main, _params, ctx) {
  const status = h('div', {}, loading());
  const list = h('ul', { class: 'queue-list', id: 'queue-list' });
  mount(main, pageHeading(ctx.user.role === 'reviewer' ? 'My queues' : 'Queues'), status, list);

  let me = session.user;
  try {
    me = /** @type {UserBody} */ (await api.get('/api/v1/me'));
    session.setUser(me);
  } catch {
    // Fall back to what sign-in told us.
  }
  const all = /** @type {Queue[]} */ (await api.get('/api/v1/queues'));
  const mine = ctx.user.role === 'reviewer' ? all.filter((q) => (me?.queues ?? []).includes(q.slug)) : all;
  status.replaceChildren();
  if (!mine.length) {
    mount(status, emptyState('You are not in any queue yet. Ask an admin to add you to one.'));
    return;
  }
  list.append(
    ...mine.map((q) => {
      const result = h('div', { class: 'claim-result', 'aria-live': 'polite' });
      let stats = queueStats(q);
      const take = h('button', { type: 'button', class: 'primary', dataset: { queue: q.slug } }, 'Take next case');
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
            const now = (/** @type {Queue[]} */ (await api.get('/api/v1/queues'))).find((x) => x.slug === q.slug) ?? q;
            const fresh = queueStats(now);
            stats.replaceWith(fresh);
            stats = fresh;
            mount(result, nothingWaiting(now));
          },
          'Taking…',
        ),
      );
      return h(
        'li',
        { class: 'card queue-card', dataset: { queue: q.slug } },
        h('h2', {}, q.name),
        q.description ? h('p', { class: 'muted' }, q.description) : null,
        stats,
        ctx.user.role === 'reviewer' ? h('div', { class: 'actions' }, take) : null,
        result,
      );
    }),
  );
  if (ctx.user.role === 'reviewer') {
    list.after(h('p', {}, h('a', { href: '#/cases' }, 'See all cases in my queues')));
  }
}
