import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import { CASE_STATUSES, OPEN_STATUSES, type CaseStatus } from '../../../src/vocabulary.js';
import {
  TRANSITIONS,
  canTransition,
  isOpen,
  nextStatus,
  opinionEvent,
} from '../../../src/cases/lifecycle.js';
import type { CaseEvent } from '../../../src/cases/lifecycle.js';

// Written out by hand, independently of the table, so that a change to the table must be a
// deliberate change here too.
const ALLOWED: ReadonlyArray<readonly [CaseStatus, CaseEvent, CaseStatus]> = [
  ['queued', 'claim', 'in_review'],
  ['in_review', 'claim', 'in_review'],
  ['disputed', 'claim', 'disputed'],
  ['in_review', 'release_all', 'queued'],
  ['disputed', 'release_all', 'disputed'],
  ['in_review', 'lease_lapsed', 'queued'],
  ['disputed', 'lease_lapsed', 'disputed'],
  ['in_review', 'opinion_pending', 'in_review'],
  ['in_review', 'opinion_quorum_agree', 'answered'],
  ['in_review', 'opinion_quorum_disagree', 'disputed'],
  ['disputed', 'tie_break_majority', 'answered'],
  ['disputed', 'tie_break_no_majority', 'disputed'],
  ['queued', 'request_info', 'needs_info'],
  ['in_review', 'request_info', 'needs_info'],
  ['disputed', 'request_info', 'needs_info'],
  ['needs_info', 'request_info', 'needs_info'],
  ['needs_info', 'referrer_reply', 'queued'],
  ['queued', 'referrer_reply', 'queued'],
  ['in_review', 'referrer_reply', 'in_review'],
  ['disputed', 'referrer_reply', 'disputed'],
  ['answered', 'referrer_reply', 'answered'],
  ['needs_info', 'photos_added', 'queued'],
  ['queued', 'photos_added', 'queued'],
  ['in_review', 'photos_added', 'in_review'],
  ['disputed', 'photos_added', 'disputed'],
  ['answered', 'photos_added', 'answered'],
  ['queued', 'reroute', 'queued'],
  ['in_review', 'reroute', 'queued'],
  ['needs_info', 'reroute', 'queued'],
  ['disputed', 'reroute', 'queued'],
  ['queued', 'close', 'closed'],
  ['in_review', 'close', 'closed'],
  ['needs_info', 'close', 'closed'],
  ['answered', 'close', 'closed'],
  ['disputed', 'close', 'closed'],
];

const EVENTS = Object.keys(TRANSITIONS) as CaseEvent[];

describe('nextStatus', () => {
  it.each(ALLOWED)('moves a %s case on %s to %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  it('refuses every status/event pair that is not listed as allowed', () => {
    const allowed = new Set(ALLOWED.map(([from, event]) => `${from}|${event}`));
    let refused = 0;
    for (const from of CASE_STATUSES) {
      for (const event of EVENTS) {
        if (allowed.has(`${from}|${event}`)) continue;
        expect(canTransition(from, event), `${from} on ${event}`).toBe(false);
        expect(() => nextStatus(from, event), `${from} on ${event}`).toThrow(ConflictError);
        refused++;
      }
    }
    expect(refused).toBe(CASE_STATUSES.length * EVENTS.length - ALLOWED.length);
  });

  it('refuses with a 409 INVALID_TRANSITION that names the status in plain words', () => {
    try {
      nextStatus('closed', 'claim');
      expect.unreachable('closed cases cannot be claimed');
    } catch (error) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).statusCode).toBe(409);
      expect((error as ConflictError).code).toBe('INVALID_TRANSITION');
      expect((error as ConflictError).message).toBe('This case is closed: it cannot be claimed');
    }
  });

  it('treats closed as final', () => {
    for (const event of EVENTS) expect(canTransition('closed', event)).toBe(false);
  });

  it('does not let a case waiting for information be claimed or receive an opinion', () => {
    expect(() => nextStatus('needs_info', 'claim')).toThrow(ConflictError);
    expect(() => nextStatus('needs_info', 'opinion_quorum_agree')).toThrow(ConflictError);
  });

  it('does not let an answered case be claimed, questioned or rerouted', () => {
    expect(() => nextStatus('answered', 'claim')).toThrow(ConflictError);
    expect(() => nextStatus('answered', 'request_info')).toThrow(ConflictError);
    expect(() => nextStatus('answered', 'reroute')).toThrow(ConflictError);
  });

  it('does not accept an opinion on a queued case nobody holds', () => {
    expect(() => nextStatus('queued', 'opinion_pending')).toThrow(ConflictError);
    expect(() => nextStatus('queued', 'opinion_quorum_disagree')).toThrow(ConflictError);
  });

  it('walks a disputed case through its tie-break to answered', () => {
    let status: CaseStatus = 'queued';
    for (const event of ['claim', 'opinion_pending', 'opinion_quorum_disagree', 'claim', 'lease_lapsed', 'claim', 'tie_break_majority'] as const) {
      status = nextStatus(status, event);
    }
    expect(status).toBe('answered');
  });
});

describe('open statuses', () => {
  it('counts every status but answered and closed as open', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['disputed', 'in_review', 'needs_info', 'queued']);
    expect(isOpen('needs_info')).toBe(true);
    expect(isOpen('answered')).toBe(false);
    expect(isOpen('closed')).toBe(false);
  });
});

describe('opinionEvent', () => {
  it('maps a consensus outcome to the event for the status the opinion arrived in', () => {
    expect(opinionEvent('in_review', 'pending')).toBe('opinion_pending');
    expect(opinionEvent('in_review', 'answered')).toBe('opinion_quorum_agree');
    expect(opinionEvent('in_review', 'disputed')).toBe('opinion_quorum_disagree');
    expect(opinionEvent('disputed', 'answered')).toBe('tie_break_majority');
    expect(opinionEvent('disputed', 'disputed')).toBe('tie_break_no_majority');
  });
});
