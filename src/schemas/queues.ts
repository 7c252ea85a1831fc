// Specialist queues, with their current load, in responses.
import { Type, type Static } from 'typebox';

export const QueueSchema = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  quorum: Type.Integer(),
  description: Type.String(),
  open: Type.Integer({ description: 'Cases not yet answered or closed' }),
  reviewers: Type.Integer({ description: 'Active (not disabled) reviewers of this queue' }),
  oldestWaitingMinutes: Type.Union([Type.Number(), Type.Null()], { description: 'Age of the oldest case waiting to be claimed' }),
  deadlineHours: Type.Object(
    { urgent: Type.Number(), soon: Type.Number(), routine: Type.Number() },
    { description: "Hours from a case's creation to its answer, per urgency (the queue's own or the defaults: 4, 24, 72)" },
  ),
});

/** Targets an admin sets for a queue; a missing one keeps the default. */
export const DeadlineHoursInputSchema = Type.Object(
  {
    urgent: Type.Optional(Type.Number({ minimum: 0.01, maximum: 24 * 365 })),
    soon: Type.Optional(Type.Number({ minimum: 0.01, maximum: 24 * 365 })),
    routine: Type.Optional(Type.Number({ minimum: 0.01, maximum: 24 * 365 })),
  },
  { additionalProperties: false },
);
export type QueueBody = Static<typeof QueueSchema>;
