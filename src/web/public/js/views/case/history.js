// The case's history, day by day: every status change, when, who made it (a person, the patient's
// follow-up link, or the service itself), and why when the service decided it.
import { h } from '../../dom.js';
import { statusLabel } from '../../format.js';
import { t } from '../../i18n.js';

/** @typedef {import('./shared.js').CaseView} CaseView */
/** @typedef {CaseView['timeline'][number]} TimelineEntry */

const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** @param {CaseView} c */
export function timelineSection(c) {
  if (!c.timeline.length) return null;
  /** @type {Map<string, TimelineEntry[]>} entries by the day they happened, in the reader's time zone */
  const days = new Map();
  for (const entry of c.timeline) {
    const day = DAY.format(new Date(entry.at));
    days.set(day, [...(days.get(day) ?? []), entry]);
  }
  return h(
    'section',
    { class: 'card', id: 'history', 'aria-labelledby': 'timeline-h' },
    h('h2', { id: 'timeline-h' }, t('web-case.history.heading')),
    [...days].map(([day, entries]) => [
      h('h3', { class: 'timeline-day' }, day),
      h(
        'ol',
        { class: 'timeline' },
        entries.map((t) =>
          h(
            'li',
            { dataset: { actorType: t.actorType } },
            h('time', { datetime: t.at, class: 'timeline-time' }, TIME.format(new Date(t.at))),
            ' ',
            h('span', { class: 'timeline-status' }, statusLabel(t.status)),
            ' · ',
            h('span', { class: 'timeline-actor' }, actorName(t)),
            // Why the service decided this on its own (e.g. routed to general: no reviewer in the chosen queue).
            t.reason ? h('div', { class: 'timeline-reason muted' }, t.reason) : null,
          ),
        ),
      ),
    ]),
  );
}

/**
 * Who made the change, as the reader may see them (another reviewer stays unnamed while opinions are blinded).
 * @param {TimelineEntry} entry
 */
function actorName(entry) {
  if (entry.actorType === 'link') return t('web-case.history.link');
  return entry.actor?.name ?? t('web-case.history.service');
}
