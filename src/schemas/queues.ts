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
});
export type QueueBody = Static<typeof QueueSchema>;
