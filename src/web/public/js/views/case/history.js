// The case's history: every status change, when, and why when the service decided it.
import { h } from '../../dom.js';
import { dateTime, statusLabel } from '../../format.js';

/** @typedef {import('./shared.js').CaseView} CaseView */

/** @param {CaseView} c */
export function timelineSection(c) {
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
