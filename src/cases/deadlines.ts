// Deadlines: a case should be answered within its queue's target for its urgency (SPEC "Notifications and
// deadlines"); a queue may override some targets, the rest keep the defaults.
import { DEFAULT_DEADLINE_HOURS, type Urgency } from '../vocabulary.js';

export type DeadlineHours = Partial<Record<Urgency, number>>;

/** The queue's targets, each its own or the default. */
export function deadlineHours(overrides: DeadlineHours | null): Record<Urgency, number> {
  return { ...DEFAULT_DEADLINE_HOURS, ...(overrides ?? {}) };
}

export function dueAt(createdAt: number, urgency: Urgency, overrides: DeadlineHours | null): number {
  return createdAt + Math.round(deadlineHours(overrides)[urgency] * 3_600_000);
}

/** Past its deadline and still waiting for an answer (needs_info counts: the clock runs for the service). */
export function isOverdue(c: { dueAt: number; status: string }, now: number): boolean {
  return c.dueAt <= now && c.status !== 'answered' && c.status !== 'closed';
}
