// Who may see a case, and which opinions they may read. Pure rules; callers answer 404 when a read is refused,
// so that case ids cannot be probed. Staff (admins, clinicians, reviewers) read cases by the rules below; a
// trainee never does: they read a case only while it is in the teaching collection, blinded, through /teaching.

import type { Role } from '../vocabulary.js';

export interface Viewer {
  id: string;
  role: Role;
  queues: readonly string[];
}

export interface CaseAccessFacts {
  referrerId: string;
  queueSlug: string;
}

export function isReferrer(viewer: Viewer, c: CaseAccessFacts): boolean {
  return viewer.id === c.referrerId;
}

export function reviewsQueue(viewer: Viewer, queueSlug: string): boolean {
  return viewer.role === 'reviewer' && viewer.queues.includes(queueSlug);
}

/** The referrer, the reviewers of the case's queue, and admins; never a trainee, whatever the case. */
export function canReadCase(viewer: Viewer, c: CaseAccessFacts): boolean {
  if (viewer.role === 'trainee') return false;
  return viewer.role === 'admin' || isReferrer(viewer, c) || reviewsQueue(viewer, c.queueSlug);
}

export interface TeachingFacts {
  consentTeaching: boolean;
  teachingAddedAt: number | null;
}

/** A case is in the teaching collection while a reviewer has it there and the patient's teaching consent stands. */
export function inTeachingCollection(c: TeachingFacts): boolean {
  return c.teachingAddedAt !== null && c.consentTeaching;
}

/** A trainee opens a case (blinded) only while it is in the teaching collection. */
export function canReadTeachingCase(viewer: Viewer, c: TeachingFacts): boolean {
  return viewer.role === 'trainee' && inTeachingCollection(c);
}

/** Who puts a case in the teaching collection or takes it out: the reviewers of its queue, and admins. */
export function canCurateTeaching(viewer: Viewer, c: CaseAccessFacts): boolean {
  return viewer.role === 'admin' || reviewsQueue(viewer, c.queueSlug);
}

/**
 * Blinded collective diagnosis: a reviewer sees other opinions only after giving their own; the referrer sees
 * them once the case has been answered; admins see everything.
 */
export function visibleOpinions<T extends { reviewerId: string }>(
  viewer: Viewer,
  c: CaseAccessFacts & { answeredAt: number | null },
  opinions: readonly T[],
): T[] {
  if (viewer.role === 'admin') return [...opinions];
  if (isReferrer(viewer, c)) return c.answeredAt !== null ? [...opinions] : [];
  const own = opinions.filter((o) => o.reviewerId === viewer.id);
  return own.length > 0 ? [...opinions] : [];
}

/** The consensus is shown with the opinions it came from, and only once the case is answered. */
export function canSeeConsensus(viewer: Viewer, c: CaseAccessFacts & { answeredAt: number | null }, gaveOpinion: boolean): boolean {
  if (c.answeredAt === null) return false;
  return viewer.role === 'admin' || isReferrer(viewer, c) || gaveOpinion;
}

/**
 * The confirmed outcome goes with the answer it is measured against: admins and the referrer see it, and a
 * reviewer once they have given their own opinion (before that it would sway them, as the others' would).
 */
export function canSeeOutcome(viewer: Viewer, c: CaseAccessFacts, gaveOpinion: boolean): boolean {
  return viewer.role === 'admin' || isReferrer(viewer, c) || gaveOpinion;
}

/**
 * Who acted on the case, as this viewer may know it. Before giving their own opinion a reviewer learns
 * nothing of which other reviewers claimed, discussed or judged the case (so that no name sways them):
 * of the people in the timeline and the discussion, they see only themselves and the referrer.
 */
export function canSeeActor(viewer: Viewer, c: CaseAccessFacts, gaveOpinion: boolean): (actorId: string | null) => boolean {
  if (viewer.role === 'admin' || isReferrer(viewer, c) || gaveOpinion) return () => true;
  return (actorId) => actorId === null || actorId === viewer.id || actorId === c.referrerId;
}
