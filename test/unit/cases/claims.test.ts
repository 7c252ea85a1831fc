import { describe, expect, it } from 'vitest';
import { URGENCY_ORDER, canClaim, compareForClaim, leaseExpiresAt } from '../../../src/cases/claims.js';
import type { ClaimCandidate, ClaimContext } from '../../../src/cases/claims.js';

const fresh: ClaimContext = { status: 'queued', holders: [], opinionsGivenBy: [], opinionsNeeded: 2 };

describe('canClaim', () => {
  it('lets a reviewer claim a queued case nobody holds', () => {
    expect(canClaim(fresh, 'r1')).toEqual({ ok: true });
  });

  it('lets a second reviewer join while the case still needs two opinions', () => {
    expect(canClaim({ ...fresh, status: 'in_review', holders: ['r1'] }, 'r2')).toEqual({ ok: true });
  });

  it('refuses a third holder when only two opinions are needed', () => {
    expect(canClaim({ ...fresh, status: 'in_review', holders: ['r1', 'r2'] }, 'r3')).toEqual({ ok: false, reason: 'FULLY_CLAIMED' });
  });

  it('counts opinions already given: one opinion in, one holder, nobody else', () => {
    const context: ClaimContext = { status: 'in_review', holders: ['r2'], opinionsGivenBy: ['r1'], opinionsNeeded: 1 };
    expect(canClaim(context, 'r3')).toEqual({ ok: false, reason: 'FULLY_CLAIMED' });
  });

  it('never gives a case twice to one reviewer', () => {
    expect(canClaim({ ...fresh, status: 'in_review', holders: ['r1'] }, 'r1')).toEqual({ ok: false, reason: 'ALREADY_HOLDS' });
  });

  it('never hands a case to a reviewer who already gave an opinion, even for the tie-break', () => {
    const disputed: ClaimContext = { status: 'disputed', holders: [], opinionsGivenBy: ['r1', 'r2'], opinionsNeeded: 1 };
    expect(canClaim(disputed, 'r1')).toEqual({ ok: false, reason: 'ALREADY_GAVE_OPINION' });
    expect(canClaim(disputed, 'r3')).toEqual({ ok: true });
  });

  it('lets only one tie-breaker hold a disputed case', () => {
    const disputed: ClaimContext = { status: 'disputed', holders: ['r3'], opinionsGivenBy: ['r1', 'r2'], opinionsNeeded: 1 };
    expect(canClaim(disputed, 'r4')).toEqual({ ok: false, reason: 'FULLY_CLAIMED' });
  });

  it.each(['needs_info', 'answered', 'closed'] as const)('refuses claims on a %s case', (status) => {
    expect(canClaim({ ...fresh, status }, 'r1')).toEqual({ ok: false, reason: 'NOT_CLAIMABLE' });
  });

  it('refuses when no more opinions are needed', () => {
    expect(canClaim({ ...fresh, opinionsNeeded: 0 }, 'r1')).toEqual({ ok: false, reason: 'FULLY_CLAIMED' });
  });
});

describe('claim order', () => {
  it('ranks urgent before soon before routine', () => {
    expect(URGENCY_ORDER.urgent).toBeLessThan(URGENCY_ORDER.soon);
    expect(URGENCY_ORDER.soon).toBeLessThan(URGENCY_ORDER.routine);
  });

  it('takes urgent cases first, and the oldest first within one urgency', () => {
    const cases: ClaimCandidate[] = [
      { id: 'old-routine', urgency: 'routine', createdAt: '2025-01-01T00:00:00Z' },
      { id: 'new-urgent', urgency: 'urgent', createdAt: '2025-03-01T00:00:00Z' },
      { id: 'new-soon', urgency: 'soon', createdAt: '2025-03-01T00:00:00Z' },
      { id: 'old-urgent', urgency: 'urgent', createdAt: '2025-02-01T00:00:00Z' },
      { id: 'old-soon', urgency: 'soon', createdAt: '2025-02-01T00:00:00Z' },
    ];
    expect([...cases].sort(compareForClaim).map((c) => c.id)).toEqual([
      'old-urgent',
      'new-urgent',
      'old-soon',
      'new-soon',
      'old-routine',
    ]);
  });

  it('breaks exact ties by id so that the order is deterministic', () => {
    const a: ClaimCandidate = { id: 'a', urgency: 'soon', createdAt: 0 };
    const b: ClaimCandidate = { id: 'b', urgency: 'soon', createdAt: 0 };
    expect([b, a].sort(compareForClaim).map((c) => c.id)).toEqual(['a', 'b']);
  });
});

describe('leaseExpiresAt', () => {
  it('lasts 30 minutes by default', () => {
    expect(leaseExpiresAt(new Date('2025-03-01T08:00:00Z')).toISOString()).toBe('2025-03-01T08:30:00.000Z');
    expect(leaseExpiresAt(new Date('2025-03-01T08:00:00Z'), 5).toISOString()).toBe('2025-03-01T08:05:00.000Z');
  });
});
