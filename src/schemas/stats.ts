// Turnaround, agreement and concordance per queue (GET /stats), and each reviewer's concordance with the
// confirmed outcomes (GET /me/concordance, GET /stats/reviewers); the definitions are in
// src/repositories/stats.ts and src/cases/concordance.ts.
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
  withOutcome: Type.Integer({ description: 'Of the answered cases, those whose confirmed outcome the referrer has recorded: what concordanceRate is over' }),
  concordanceRate: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Of the cases counted in withOutcome, the share whose consensus agrees with the outcome (0..1): the same ICD-10 category (first three characters) when both are coded, else the same words; null when there are none',
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

/** One reviewer's opinions measured against the outcomes recorded since, over all their opinions. */
export const ConcordanceSchema = Type.Object({
  opinions: Type.Integer({ description: 'Opinions the reviewer has given' }),
  withOutcome: Type.Integer({ description: 'Of those, opinions on cases whose confirmed outcome has been recorded' }),
  concordant: Type.Integer({
    description: "Of those, opinions whose diagnosis agrees with the outcome: the same ICD-10 category (first three characters) when both are coded, else the same words",
  }),
  rate: Type.Union([Type.Number(), Type.Null()], { description: 'concordant / withOutcome (0..1); null when withOutcome is 0' }),
});

export const ReviewerConcordanceSchema = Type.Object({
  reviewer: Type.Object({ id: Type.String(), name: Type.String() }),
  ...ConcordanceSchema.properties,
});

export const ReviewersConcordanceSchema = Type.Object({
  items: Type.Array(ReviewerConcordanceSchema, { description: 'Every reviewer, and anyone else who has given an opinion, by name' }),
});
export type ConcordanceBody = Static<typeof ConcordanceSchema>;
export type ReviewerConcordanceBody = Static<typeof ReviewerConcordanceSchema>;
export type QueueStatsBody = Static<typeof QueueStatsSchema>;
export type WeekStatsBody = Static<typeof WeekStatsSchema>;
