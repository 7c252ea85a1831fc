// The case status machine: every allowed status change, in one table, and the check that refuses the rest.
// Services decide which event happened (they know the claims and opinions); this module decides what it does.

import { ConflictError } from '../errors.js';
import { OPEN_STATUSES, type CaseStatus, type OpenStatus } from '../vocabulary.js';
import type { ConsensusOutcome } from './consensus.js';

export type CaseEvent =
  | 'claim'
  | 'release_all'
  | 'lease_lapsed'
  | 'opinion_pending'
  | 'opinion_quorum_agree'
  | 'opinion_quorum_disagree'
  | 'tie_break_majority'
  | 'tie_break_no_majority'
  | 'request_info'
  | 'referrer_reply'
  | 'photos_added'
  | 'reroute'
  | 'close';

type Moves = Partial<Record<CaseStatus, CaseStatus>>;

const UNCHANGED_WHILE_OPEN_OR_ANSWERED = {
  queued: 'queued',
  in_review: 'in_review',
  disputed: 'disputed',
  answered: 'answered',
} as const satisfies Moves;

/**
 * event -> { from: to }. A status missing from an event's row means the event is refused there.
 *
 * Decisions worth knowing:
 * - A disputed case stays `disputed` while a tie-breaker holds it, so lists and statistics keep
 *   showing the dispute until it is settled; who holds it lives in the claims, not the status.
 *   Several reviewers may hold an `in_review` case at once (up to the opinions still needed).
 * - `release_all` / `lease_lapsed` mean "no reviewer holds it any more", whether by release,
 *   lapse, or because the last holder gave an opinion short of quorum: the case waits again.
 * - A reply or photos bring a `needs_info` case back as `queued` even if it had been disputed:
 *   its opinions remain, so the next opinion re-evaluates consensus and it lands on `answered`
 *   or `disputed` again. Elsewhere they change nothing (the thread simply grows).
 * - `closed` is final: nothing happens to a closed case.
 */
export const TRANSITIONS = {
  claim: { queued: 'in_review', in_review: 'in_review', disputed: 'disputed' },
  release_all: { in_review: 'queued', disputed: 'disputed' },
  lease_lapsed: { in_review: 'queued', disputed: 'disputed' },
  opinion_pending: { in_review: 'in_review' },
  opinion_quorum_agree: { in_review: 'answered' },
  opinion_quorum_disagree: { in_review: 'disputed' },
  tie_break_majority: { disputed: 'answered' },
  tie_break_no_majority: { disputed: 'disputed' },
  request_info: { queued: 'needs_info', in_review: 'needs_info', disputed: 'needs_info', needs_info: 'needs_info' },
  referrer_reply: { ...UNCHANGED_WHILE_OPEN_OR_ANSWERED, needs_info: 'queued' },
  photos_added: { ...UNCHANGED_WHILE_OPEN_OR_ANSWERED, needs_info: 'queued' },
  reroute: { queued: 'queued', in_review: 'queued', needs_info: 'queued', disputed: 'queued' },
  close: { queued: 'closed', in_review: 'closed', needs_info: 'closed', answered: 'closed', disputed: 'closed' },
} as const satisfies Record<CaseEvent, Moves>;

// The 409 message reaches the person who tried, so it speaks their language, not the table's.
const STATUS_WORDS: Record<CaseStatus, string> = {
  queued: 'waiting in its queue',
  in_review: 'in review',
  needs_info: 'waiting for information from the referrer',
  answered: 'answered',
  disputed: 'disputed',
  closed: 'closed',
};

const EVENT_WORDS: Record<CaseEvent, string> = {
  claim: 'be claimed',
  release_all: 'be released',
  lease_lapsed: 'have its claim lapse',
  opinion_pending: 'take an opinion',
  opinion_quorum_agree: 'take an opinion',
  opinion_quorum_disagree: 'take an opinion',
  tie_break_majority: 'take a tie-breaking opinion',
  tie_break_no_majority: 'take a tie-breaking opinion',
  request_info: 'be sent back to the referrer with a question',
  referrer_reply: 'take a reply',
  photos_added: 'take new photos',
  reroute: 'be moved to another queue',
  close: 'be closed again',
};

export function canTransition(current: CaseStatus, event: CaseEvent): boolean {
  return (TRANSITIONS[event] as Moves)[current] !== undefined;
}

/** The status after `event`; throws 409 INVALID_TRANSITION when the event is not allowed from `current`. */
export function nextStatus(current: CaseStatus, event: CaseEvent): CaseStatus {
  const to = (TRANSITIONS[event] as Moves)[current];
  if (to === undefined) {
    throw new ConflictError(`This case is ${STATUS_WORDS[current]}: it cannot ${EVENT_WORDS[event]}`, 'INVALID_TRANSITION');
  }
  return to;
}

export function isOpen(status: CaseStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly CaseStatus[]).includes(status);
}

/**
 * The event for a new opinion, from the case's status before it and the consensus after it.
 * A case back from needs_info carries its earlier opinions while `in_review`, so "answered"
 * from `in_review` may be a settled tie-break too; the status change is the same.
 */
export function opinionEvent(current: CaseStatus, outcome: ConsensusOutcome): CaseEvent {
  if (current === 'disputed') return outcome === 'answered' ? 'tie_break_majority' : 'tie_break_no_majority';
  switch (outcome) {
    case 'pending':
      return 'opinion_pending';
    case 'answered':
      return 'opinion_quorum_agree';
    case 'disputed':
      return 'opinion_quorum_disagree';
  }
}
