// Turnaround and agreement per queue (GET /stats); the definitions are in src/repositories/stats.ts.
import { Type, type Static } from 'typebox';
import { DateTimeSchema } from './common.js';

const Minutes = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const WeekStatsSchema = Type.Object({
  start: Type.String({ format: 'date-time', description: "The week's Monday, 00:00 UTC" }),
  cases: Type.Integer({ description: 'Cases created in the period and in this week' }),
  answered: Type.Integer({ description: 'Of those, answered (even if closed since)' }),
  medianMinutesToAnswer: Minutes('Of those, creation to answer, median; null when none was answered'),
});

export const QueueStatsSchema = Type.Object({
  slug: Type.String(),
  cases: Type.Integer({ description: 'Cases created in the period' }),
  answered: Type.Integer({ description: 'Of those, answered (even if closed since)' }),
  open: Type.Integer({ description: 'Of those, still queued, in review, waiting for information or disputed' }),
  oldestWaitingMinutes: Minutes('Of those, the longest wait of a case a reviewer could claim now'),
  medianMinutesToFirstOpinion: Minutes('Creation to first opinion, median (linear interpolation)'),
  p90MinutesToFirstOpinion: Minutes('Creation to first opinion, 90th percentile (linear interpolation)'),
  medianMinutesToAnswer: Minutes('Creation to answer, median'),
  p90MinutesToAnswer: Minutes('Creation to answer, 90th percentile'),
  agreementRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Of the cases whose first panel of opinions is complete, the share answered without a dispute (0..1)',
  }),
  withinDeadlineRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Of the cases answered or past their dueAt, the share answered by dueAt (0..1)',
  }),
  weeks: Type.Optional(
    Type.Array(WeekStatsSchema, {
      description: 'With `by=week` only: every week that overlaps the period, oldest first, empty weeks included; they add up to `cases` and `answered`',
    }),
  ),
});

export const StatsSchema = Type.Object({
  from: DateTimeSchema,
  to: DateTimeSchema,
  queues: Type.Array(QueueStatsSchema),
});
export type StatsBody = Static<typeof StatsSchema>;
export type QueueStatsBody = Static<typeof QueueStatsSchema>;
export type WeekStatsBody = Static<typeof WeekStatsSchema>;
