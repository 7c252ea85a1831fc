// The reviewer's start page: their queues with the load of each, and "take next case".
import { api, errorMessage, session } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { minutes } from '../format.js';
import { navigate } from '../router.js';
import { busy, emptyState, flashNext, loading, pageHeading } from '../ui.js';

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
      const take = h('button', { type: 'button', class: 'primary', dataset: { queue: q.slug } }, 'Take next case');
      take.addEventListener('click', () =>
        busy(take, async () => {
          take.textContent = 'Taking…';
          result.replaceChildren();
          try {
            // The case, with its claim; null (204) when nothing is waiting.
            const claimed = /** @type {CaseBody | null} */ (await api.post(`/api/v1/queues/${encodeURIComponent(q.slug)}/claim`));
            if (!claimed) {
              mount(result, notice('ok', 'Nothing is waiting in this queue.'));
              return;
            }
            claimedCases.add(claimed.id);
            flashNext('ok', 'You have taken this case. Give your opinion, or release it.');
            navigate(`/cases/${encodeURIComponent(claimed.id)}`);
          } catch (error) {
            mount(result, notice('error', errorMessage(error)));
          }
        }),
      );
      return h(
        'li',
        { class: 'card queue-card', dataset: { queue: q.slug } },
        h('h2', {}, q.name),
        q.description ? h('p', { class: 'muted' }, q.description) : null,
        h(
          'dl',
          { class: 'stats-inline' },
          h('div', {}, h('dt', {}, 'Open cases'), h('dd', { class: 'queue-open' }, String(q.open))),
          h('div', {}, h('dt', {}, 'Oldest waiting'), h('dd', {}, q.oldestWaitingMinutes === null ? 'None waiting' : minutes(q.oldestWaitingMinutes))),
          h('div', {}, h('dt', {}, 'Opinions needed'), h('dd', {}, String(q.quorum))),
          h('div', {}, h('dt', {}, 'Reviewers'), h('dd', { class: q.reviewers === 0 ? 'queue-uncovered' : undefined }, q.reviewers > 0 ? String(q.reviewers) : q.slug === 'general' ? 'None' : 'None (routed cases go to general)')),
        ),
        ctx.user.role === 'reviewer' ? h('div', { class: 'actions' }, take) : null,
        result,
      );
    }),
  );
  if (ctx.user.role === 'reviewer') {
    list.after(h('p', {}, h('a', { href: '#/cases' }, 'See all cases in my queues')));
  }
}
