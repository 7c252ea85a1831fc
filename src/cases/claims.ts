// Who may claim a case, and which case a claim takes first: the readable statement of rules that
// the repository enforces atomically in SQL, kept here so that both can be tested against it.

import type { CaseStatus } from './lifecycle.js';

/** Statuses in which a case takes claims: waiting, being reviewed, or waiting for a tie-breaker. */
export const CLAIMABLE_STATUSES = ['queued', 'in_review', 'disputed'] as const satisfies readonly CaseStatus[];

export const DEFAULT_LEASE_MINUTES = 30;

export type Urgency = 'urgent' | 'soon' | 'routine';

/** Claim order: lower first. Within one urgency, the oldest case first. */
export const URGENCY_ORDER: Readonly<Record<Urgency, number>> = { urgent: 0, soon: 1, routine: 2 };

export interface ClaimContext {
  status: CaseStatus;
  /** Reviewers holding a live (unexpired) claim on the case. */
  holders: readonly string[];
  /** Reviewers who already gave an opinion on it. */
  opinionsGivenBy: readonly string[];
  /** From evaluateConsensus: how many more opinions the case needs. */
  opinionsNeeded: number;
}

export type ClaimRefusal = 'NOT_CLAIMABLE' | 'ALREADY_GAVE_OPINION' | 'ALREADY_HOLDS' | 'FULLY_CLAIMED';

export type ClaimDecision = { ok: true } | { ok: false; reason: ClaimRefusal };

/**
 * A case is held by at most as many reviewers as it still needs opinions (no wasted reviewer
 * time), never twice by one reviewer, and never by one who already gave an opinion (opinions
 * must be independent, and a tie-break by an earlier voter would just repeat their vote).
 */
export function canClaim(context: ClaimContext, reviewerId: string): ClaimDecision {
  if (!(CLAIMABLE_STATUSES as readonly CaseStatus[]).includes(context.status)) return { ok: false, reason: 'NOT_CLAIMABLE' };
  if (context.opinionsGivenBy.includes(reviewerId)) return { ok: false, reason: 'ALREADY_GAVE_OPINION' };
  if (context.holders.includes(reviewerId)) return { ok: false, reason: 'ALREADY_HOLDS' };
  if (context.holders.length >= context.opinionsNeeded) return { ok: false, reason: 'FULLY_CLAIMED' };
  return { ok: true };
}

export interface ClaimCandidate {
  id: string;
  urgency: Urgency;
  createdAt: Date | string | number;
}

/** Sort comparator for the claim order; the id breaks exact ties so the order is deterministic. */
export function compareForClaim(a: ClaimCandidate, b: ClaimCandidate): number {
  return (
    URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] ||
    new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function leaseExpiresAt(claimedAt: Date, leaseMinutes = DEFAULT_LEASE_MINUTES): Date {
  return new Date(claimedAt.getTime() + leaseMinutes * 60_000);
}
