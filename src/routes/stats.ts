// Turnaround statistics per queue for admins; the definitions are in src/repositories/stats.ts.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { BadRequestError } from '../errors.js';
import { errorResponses, isoTime } from './schemas.js';

const DAY_MS = 24 * 3600_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;

const StatsQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Start of the period (inclusive), ISO 8601, 2000-01-01 to 9999-12-31; default: 30 days before `to`' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'End of the period (exclusive), ISO 8601, 2000-01-01 to 9999-12-31; default: now' })),
  },
  { additionalProperties: false },
);

const Minutes = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const QueueStatsSchema = Type.Object({
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
});

const StatsSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  queues: Type.Array(QueueStatsSchema),
});

// The service keeps no record from before 2000 nor after 9999, and JavaScript dates end in 275760:
// anything outside is a mistake, and must be a 400 rather than a date that cannot be printed.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST) {
    throw new BadRequestError(`querystring/${field} must be a date-time between 2000-01-01 and 9999-12-31`, 'VALIDATION_ERROR');
  }
  return ms;
}

export default async function statsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Static<typeof StatsQuerySchema> }>(
    '/stats',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'getStats',
        tags: ['stats'],
        summary: 'Turnaround and agreement per queue, for cases created in [from, to)',
        querystring: StatsQuerySchema,
        response: { 200: StatsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const now = Date.now();
      const to = parseTime(request.query.to, 'to') ?? now;
      const from = parseTime(request.query.from, 'from') ?? Math.max(EARLIEST, to - DEFAULT_PERIOD_MS);
      if (from >= to) throw new BadRequestError('querystring/from must be before to', 'VALIDATION_ERROR');
      const queues = await app.repos.stats.perQueue(from, to, now);
      await app.audit(request, { action: 'stats.read', detail: { from, to } });
      return { from: isoTime(from), to: isoTime(to), queues };
    },
  );
}
